/** An HID device as a driver sees it, mirroring node-hid's HIDAsync: reports in, reports out. */
export interface HidTransport {
  write(report: Uint8Array): Promise<void>;
  onReport(listener: (report: Uint8Array) => void): void;
  onClose(listener: (error?: Error) => void): void;
  close(): Promise<void>;
}

export interface HidDeviceInfo {
  path: string;
  vendorId: number;
  productId: number;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
}

export interface HidTransportFactory {
  list(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidTransport>;
}
