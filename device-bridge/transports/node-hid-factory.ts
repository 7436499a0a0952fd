import type { HidDeviceInfo, HidTransport, HidTransportFactory } from './hid-transport';

// Loaded on first use: a machine without the native HID library still runs
// everything else, and says HID devices are unavailable instead of failing to start.
const hid = () => import('node-hid');

/** The production HID transport: node-hid's HIDAsync, nothing added. Needs hidraw/libusb on Linux. */
export const nodeHidFactory: HidTransportFactory = {
  async list(): Promise<HidDeviceInfo[]> {
    return (await (await hid()).devicesAsync())
      .filter((d): d is typeof d & { path: string } => d.path !== undefined)
      .map((d) => ({ path: d.path, vendorId: d.vendorId, productId: d.productId, manufacturer: d.manufacturer, product: d.product, serialNumber: d.serialNumber }));
  },

  async open(path): Promise<HidTransport> {
    const device = await (await hid()).HIDAsync.open(path);
    let closing = false;
    return {
      write: async (report) => {
        await device.write(Buffer.from(report));
      },
      onReport: (listener) => device.on('data', (data: Buffer) => listener(new Uint8Array(data))),
      onClose: (listener) => {
        device.once('error', (error: Error) => listener(closing ? undefined : error));
      },
      close: async () => {
        closing = true;
        await device.close();
      },
    };
  },
};
