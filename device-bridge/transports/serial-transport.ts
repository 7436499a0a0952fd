import type { SerialSettings } from '../drivers/driver';

/** A serial port as a driver sees it: open with settings, bytes in, bytes out, an end. */
export interface SerialTransport {
  write(bytes: Uint8Array): Promise<void>;
  onData(listener: (bytes: Uint8Array) => void): void;
  /** Called once when the port closes, with the reason when it was not asked to. */
  onClose(listener: (error?: Error) => void): void;
  close(): Promise<void>;
}

export interface SerialPortInfo {
  path: string;
  vendorId?: number;
  productId?: number;
  manufacturer?: string;
  serialNumber?: string;
}

export interface SerialTransportFactory {
  list(): Promise<SerialPortInfo[]>;
  open(path: string, settings: SerialSettings): Promise<SerialTransport>;
}
