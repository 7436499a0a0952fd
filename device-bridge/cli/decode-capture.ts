import type { DecodedItem, DeviceStatus } from '../../app/devices/decoded-item';
import { createDeviceStream } from '../drivers/device-stream';
import type { Driver } from '../drivers/driver';

/**
 * One line of `clinic-device decode` output: a reading (`comparator` `>` or
 * `<` for a result beyond the device's range, its value the device's limit),
 * or an error with a stable code and its reason. A biomedical technician
 * checks a device with it, so the codes are a published interface.
 */
export type DecodeLine =
  | { kind: string; code: string; value: number; unit: string; time?: string; comparator?: '>' | '<' }
  | { error: DecodeLineError; reason: string };

export type DecodeLineError = 'finger_out' | 'probe_error' | 'unstable' | 'checksum' | 'truncated' | 'garbled' | 'out_of_range' | 'unsupported';

/**
 * Turns a capture file into what the device would have delivered, one read
 * at a time. Serial captures are the raw bytes the device sent (one read: a
 * serial stream decodes the same however it is split); HID captures are one
 * hex-encoded input report per line, each its own read, as a live reading run
 * gets them.
 */
export function captureReads(driver: Driver, file: Uint8Array): Uint8Array[] {
  if (driver.transport === 'serial') return [file];
  const lines = new TextDecoder().decode(file).split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  return lines.map((line, index) => {
    if (!/^([0-9a-fA-F]{2})+$/.test(line)) throw new Error(`Line ${index + 1} of the capture is not a hex-encoded report.`);
    return Uint8Array.from(line.match(/../g)!, (pair) => Number.parseInt(pair, 16));
  });
}

/** Device states that mean "no reading now", as the technician's error codes. */
const statusErrors: Partial<Record<DeviceStatus['status'], { error: DecodeLineError; reason: string }>> = {
  'finger-out': { error: 'finger_out', reason: 'No finger in the probe (or the device has no value): no reading.' },
  'probe-error': { error: 'probe_error', reason: 'The device reports a sensor fault: no reading.' },
  searching: { error: 'unstable', reason: 'The device is still settling (searching for a pulse, or weight in motion): no reading.' },
};

function toLine(item: DecodedItem): DecodeLine | undefined {
  if (item.type === 'reading') {
    const { kind, code, value, unit, time, comparator } = item.reading;
    return { kind, code, value, unit, ...(time === undefined ? {} : { time }), ...(comparator === undefined ? {} : { comparator }) };
  }
  if (item.type === 'error') return { error: item.error.code, reason: item.error.reason };
  if (item.type === 'status') {
    const said = statusErrors[item.status.status];
    if (!said) return undefined;
    const scale = item.status.detail?.scale;
    return typeof scale === 'string' ? { ...said, reason: `${said.reason} (the scale says ${scale})` } : said;
  }
  return undefined;
}

/** Every reading and error in a capture, in order, exactly as a live reading run of the driver would have seen them. */
export function decodeCapture(driver: Driver, file: Uint8Array): DecodeLine[] {
  const stream = createDeviceStream(driver);
  const items = [...captureReads(driver, file).flatMap((read) => stream.push(read)), ...stream.end()];
  return items.map(toLine).filter((line): line is DecodeLine => line !== undefined);
}
