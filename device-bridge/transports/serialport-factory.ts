import { SerialPort } from 'serialport';
import type { SerialPortInfo, SerialTransport, SerialTransportFactory } from './serial-transport';

const hex = (text: string | undefined) => (text ? Number.parseInt(text, 16) : undefined);

/** What SerialPort.list() reports per port (its own type lives in an indirect dependency). */
interface ListedPort {
  path: string;
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  serialNumber?: string;
}

/** The production serial transport: the `serialport` library, nothing added. */
export const serialportFactory: SerialTransportFactory = {
  async list(): Promise<SerialPortInfo[]> {
    const ports = (await SerialPort.list()) as ListedPort[];
    return ports.map((port) => ({
      path: port.path,
      vendorId: hex(port.vendorId),
      productId: hex(port.productId),
      manufacturer: port.manufacturer,
      serialNumber: port.serialNumber,
    }));
  },

  open(path, settings): Promise<SerialTransport> {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path, ...settings, autoOpen: false });
      port.open((error) => {
        if (error) {
          reject(error);
          return;
        }
        let closing = false;
        resolve({
          write: (bytes) =>
            new Promise<void>((done, fail) => {
              port.write(Buffer.from(bytes), (err) => (err ? fail(err) : port.drain((e) => (e ? fail(e) : done()))));
            }),
          onData: (listener) => port.on('data', (data: Buffer) => listener(new Uint8Array(data))),
          onClose: (listener) => {
            port.once('close', (err: Error | null) => listener(closing ? undefined : (err ?? new Error('closed'))));
          },
          close: () =>
            new Promise<void>((done) => {
              closing = true;
              if (!port.isOpen) done();
              else port.close(() => done());
            }),
        });
      });
    });
  },
};
