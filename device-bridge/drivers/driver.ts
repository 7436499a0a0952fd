import type { DeviceIdentity } from '../../app/devices/decoded-item';
import type { DriverId } from '../../app/devices/driver-ids';
import type { Decode, DecodedItem } from './decoder';

/** Serial line settings (a pty ignores them; a real USB-serial chip does not). */
export interface SerialSettings {
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

/**
 * The protocol state of one connection (handshakes, ACK/NAK, "send me the
 * next record"): small, per connection, and separate from the pure decoder.
 * For serial devices `send` items are raw bytes; for HID they are whole
 * output reports.
 */
export interface DriverHandshake {
  /** What to send as soon as the device is open (an init report, a dump command); may be empty. */
  start(): Uint8Array[];
  /** Given what the decoder produced, what to send back, and whether the exchange is complete. */
  onItems(items: DecodedItem[]): { send: Uint8Array[]; done: boolean };
}

export interface Driver {
  id: DriverId;
  transport: 'serial' | 'hid';
  /** What the device is, before it tells us its serial number. */
  identity: Omit<DeviceIdentity, 'serial' | 'driver'>;
  serial?: SerialSettings;
  /** HID input report size in bytes (the decoder is given whole reports, concatenated). */
  reportSize?: number;
  decode: Decode;
  /**
   * A per-connection step over the decoder's items, for what a device says
   * across several replies that the pure decoder cannot join (the FreeStyle
   * meter's date and time). Runs wherever the decoder runs, so a capture
   * decodes as the live reading run did.
   */
  createItemStage?(): (items: DecodedItem[]) => DecodedItem[];
  createHandshake(): DriverHandshake;
}
