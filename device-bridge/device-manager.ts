import { existsSync } from 'node:fs';
import { maxItemsPerEvent, type DeviceEvent, type DeviceInfo, type RunEnd } from '../app/contract/device-events';
import type { DecodedItem, DeviceIdentity } from '../app/devices/decoded-item';
import type { DriverId } from '../app/devices/driver-ids';
import { createDeviceStream } from './drivers/device-stream';
import type { Driver } from './drivers/driver';
import { lookupUsb } from './manifest';
import type { HidTransportFactory } from './transports/hid-transport';
import type { SerialTransportFactory } from './transports/serial-transport';

export type { DeviceEvent, DeviceInfo, RunEnd };

/** A serial port the manager should offer although it is not a USB device: a simulator's pty. */
export interface FixedSerialPort {
  path: string;
  label: string;
  drivers: DriverId[];
}

export interface DeviceManagerOptions {
  serial: SerialTransportFactory;
  hid: HidTransportFactory;
  drivers: Readonly<Record<DriverId, Driver>>;
  fixedSerialPorts?: FixedSerialPort[];
  /**
   * Whether a fixed port's path is still there. A pty (or a USB-serial
   * adapter's node) disappears when its other end goes; an open port does not
   * always hear of it, so each look for devices checks the path too.
   */
  portExists?: (path: string) => boolean;
  /** How often to look for plugged and unplugged devices; 2 s is the promise, so under it. */
  pollMs?: number;
  now?: () => Date;
}

const endMessages: Record<RunEnd, string> = {
  completed: 'The device finished sending.',
  stopped: 'Reading stopped.',
  unplugged: 'The device was disconnected during the reading. Nothing from the unfinished reading was kept; plug it in and start again.',
  failed: 'The device could not be read. Check the cable and that the device is switched on, then try again.',
};

/**
 * Finds devices (polling, since hot-plug notification differs per OS), opens
 * one reading run per device with the driver the nurse chose, runs the bytes
 * through the driver's decoder and handshake, and reports everything as
 * events. A device that vanishes ends its run with a plain message; nothing
 * here stores anything, so nothing half-read can be kept.
 */
export function createDeviceManager(options: DeviceManagerOptions) {
  const now = options.now ?? (() => new Date());
  const listeners = new Set<(event: DeviceEvent) => void>();
  const devices = new Map<string, DeviceInfo>();
  const runs = new Map<string, { deviceId: string; stop: (reason: RunEnd) => Promise<void> }>();
  let runCounter = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let scanning: Promise<void> | undefined;

  const emit = (event: DeviceEvent) => listeners.forEach((l) => l(event));
  const snapshot = () => [...devices.values()].map((d) => ({ ...d }));

  async function scan(): Promise<void> {
    const seen = new Map<string, DeviceInfo>();
    const [serialPorts, hidDevices] = await Promise.all([options.serial.list().catch(() => []), options.hid.list().catch(() => [])]);
    for (const port of serialPorts) {
      const entry = lookupUsb(port.vendorId, port.productId);
      if (entry) seen.set(`serial:${port.path}`, { id: `serial:${port.path}`, transport: 'serial', path: port.path, label: entry.label, drivers: [...entry.drivers], state: 'ready' });
    }
    for (const fixed of options.fixedSerialPorts ?? []) {
      if (!(options.portExists ?? existsSync)(fixed.path)) continue;
      seen.set(`serial:${fixed.path}`, { id: `serial:${fixed.path}`, transport: 'serial', path: fixed.path, label: fixed.label, drivers: [...fixed.drivers], state: 'ready' });
    }
    for (const hid of hidDevices) {
      const entry = lookupUsb(hid.vendorId, hid.productId);
      if (entry) seen.set(`hid:${hid.path}`, { id: `hid:${hid.path}`, transport: 'hid', path: hid.path, label: entry.label, drivers: [...entry.drivers], state: 'ready' });
    }
    let changed = false;
    for (const [id, device] of seen) {
      if (!devices.has(id)) {
        devices.set(id, device);
        changed = true;
      }
    }
    for (const [id, device] of devices) {
      if (seen.has(id)) continue;
      devices.delete(id);
      changed = true;
      const run = device.runId ? runs.get(device.runId) : undefined;
      if (run) await run.stop('unplugged');
    }
    if (changed) emit({ event: 'devices.changed', devices: snapshot() });
  }

  function setDevice(id: string, change: Partial<DeviceInfo>) {
    const device = devices.get(id);
    if (!device) return;
    devices.set(id, { ...device, ...change });
    emit({ event: 'devices.changed', devices: snapshot() });
  }

  async function start(deviceId: string, driverId: DriverId): Promise<string> {
    const device = devices.get(deviceId);
    if (!device) throw new Error('That device is no longer connected.');
    if (device.runId) throw new Error('That device is already being read.');
    if (!device.drivers.includes(driverId)) throw new Error('That driver does not fit this device.');
    const driver = options.drivers[driverId];
    const runId = `run-${++runCounter}`;
    const identity: DeviceIdentity = { driver: driver.id, ...driver.identity };
    const decoder = createDeviceStream(driver);
    const handshake = driver.createHandshake();
    let ended = false;
    let write: (bytes: Uint8Array) => Promise<void> = () => Promise.resolve();
    let close: () => Promise<void> = () => Promise.resolve();
    // The screen refuses an event of more than maxItemsPerEvent items whole, so a
    // bigger batch goes as several events, in order, with one arrival time.
    const emitItems = (items: DecodedItem[]) => {
      const receivedAt = now().toISOString();
      for (let at = 0; at < items.length; at += maxItemsPerEvent) {
        emit({ event: 'run.items', runId, deviceId, identity, items: items.slice(at, at + maxItemsPerEvent), receivedAt });
      }
    };

    const stop = async (reason: RunEnd) => {
      if (ended) return;
      ended = true;
      runs.delete(runId);
      await close().catch(() => undefined);
      // What was half-received is reported as truncated, never as a reading.
      const tail = decoder.end();
      emitItems(tail);
      emit({ event: 'run.ended', runId, deviceId, reason, message: endMessages[reason] });
      setDevice(deviceId, { state: reason === 'failed' ? 'error' : 'ready', runId: undefined, error: reason === 'failed' ? endMessages.failed : undefined });
    };

    const receive = (bytes: Uint8Array) => {
      if (ended) return;
      const items = decoder.push(bytes);
      if (items.length === 0) return;
      emitItems(items);
      const { send, done } = handshake.onItems(items);
      void Promise.all(send.map((out) => write(out)))
        .then(() => (done ? stop('completed') : undefined))
        .catch(() => stop('failed'));
    };

    runs.set(runId, { deviceId, stop });
    setDevice(deviceId, { state: 'reading', runId, error: undefined });
    try {
      if (device.transport === 'serial') {
        if (!driver.serial) throw new Error(`${driver.id} is not a serial driver`);
        const port = await options.serial.open(device.path, driver.serial);
        write = (bytes) => port.write(bytes);
        close = () => port.close();
        port.onData(receive);
        port.onClose((error) => void stop(error ? 'unplugged' : 'stopped'));
      } else {
        const hid = await options.hid.open(device.path);
        write = (report) => hid.write(report);
        close = () => hid.close();
        hid.onReport(receive);
        hid.onClose((error) => void stop(error ? 'unplugged' : 'stopped'));
      }
      for (const out of handshake.start()) await write(out);
    } catch {
      await stop('failed');
    }
    return runId;
  }

  return {
    /** Starts looking for devices; resolves after the first look. */
    async watch(): Promise<void> {
      await (scanning = scan());
      timer = setInterval(() => {
        scanning = scanning ? scanning.then(scan, scan) : scan();
      }, options.pollMs ?? 1000);
      // Looking for devices must not keep a stopping process alive.
      timer.unref();
    },
    list: (): DeviceInfo[] => snapshot(),
    start,
    async stop(runId: string): Promise<void> {
      await runs.get(runId)?.stop('stopped');
    },
    subscribe(listener: (event: DeviceEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close(): Promise<void> {
      clearInterval(timer);
      await Promise.all([...runs.values()].map((s) => s.stop('stopped')));
    },
  };
}
export type DeviceManager = ReturnType<typeof createDeviceManager>;
