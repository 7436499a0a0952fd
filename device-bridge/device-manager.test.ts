import { open } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../app/contract/device-events';
import { createDeviceManager, type DeviceManager } from './device-manager';
import { cms50dLiveStream } from './drivers/cms50d/simulator';
import { meterRespond as freestyleRespond, recentMeter } from './drivers/freestyle/simulator';
import { clockAt, heardCommands, ultra2Respond } from './drivers/onetouch-ultra2/simulator';
import { drivers } from './drivers/registry';
import { hidScript } from './simulate/hid-scripts';
import { createPtyPair, type PtyPair } from './simulate/pty-pair';
import { createScriptedHidFactory } from './transports/scripted-hid';
import type { SerialTransportFactory } from './transports/serial-transport';
import { serialportFactory } from './transports/serialport-factory';

const noSerial: SerialTransportFactory = { list: () => Promise.resolve([]), open: () => Promise.reject(new Error('none')) };
let manager: DeviceManager | undefined;
let pty: PtyPair | undefined;
afterEach(async () => {
  await manager?.close();
  await pty?.unplug();
  manager = undefined;
  pty = undefined;
});

function record(m: DeviceManager) {
  const events: DeviceEvent[] = [];
  m.subscribe((e) => events.push(e));
  const until = async (test: (e: DeviceEvent) => boolean, ms = 5000) => {
    const started = Date.now();
    while (!events.some(test)) {
      if (Date.now() - started > ms) throw new Error(`no such event within ${ms} ms; saw ${events.map((e) => e.event).join(', ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return events.find(test)!;
  };
  const readings = () => events.flatMap((e) => (e.event === 'run.items' ? e.items.flatMap((i) => (i.type === 'reading' ? [i.reading] : [])) : []));
  /** The `detail` of every header, in order: the capture screen keeps the last. */
  const headers = () => events.flatMap((e) => (e.event === 'run.items' ? e.items.flatMap((i) => (i.type === 'status' && i.status.status === 'header' ? [i.status.detail ?? {}] : [])) : []));
  return { events, until, readings, headers };
}

describe('device manager', () => {
  it('downloads a simulated Contour Next over HID to the end, control results excluded', async () => {
    manager = createDeviceManager({ serial: noSerial, hid: createScriptedHidFactory([hidScript('contour-next')]), drivers, pollMs: 20 });
    const seen = record(manager);
    await manager.watch();
    const [device] = manager.list();
    expect(device).toMatchObject({ transport: 'hid', drivers: ['contour-next'], state: 'ready' });
    await manager.start(device!.id, 'contour-next');
    const end = await seen.until((e) => e.event === 'run.ended');
    expect(end).toMatchObject({ reason: 'completed' });
    expect(seen.readings().map((r) => [r.value, r.unit, r.code])).toEqual([
      [104, 'mg/dL', '41653-7'],
      [162, 'mg/dL', '41653-7'],
    ]);
    expect(manager.list()[0]?.state).toBe('ready');
  });

  it('downloads a simulated FreeStyle over HID to the end, the meter’s clock (3 hours fast) in the last header', async () => {
    const now = new Date();
    const meter = recentMeter(now, 180);
    const hid = createScriptedHidFactory([{ info: { path: 'simulated:freestyle-fast', vendorId: 0x1a61, productId: 0x3850 }, respond: (report) => freestyleRespond(meter, report) }]);
    manager = createDeviceManager({ serial: noSerial, hid, drivers, pollMs: 20 });
    const seen = record(manager);
    await manager.watch();
    await manager.start('hid:simulated:freestyle-fast', 'freestyle');
    expect(await seen.until((e) => e.event === 'run.ended')).toMatchObject({ reason: 'completed' });
    expect(seen.readings()).toHaveLength(4);
    expect(seen.headers().at(-1)).toEqual({ meterTime: `${clockAt(now, 180).slice(0, 16)}:00` });
  });

  it('downloads a simulated OneTouch Ultra 2 through a real pty, then reads its clock', async () => {
    pty = await createPtyPair();
    manager = createDeviceManager({ serial: serialportFactory, hid: createScriptedHidFactory([]), drivers, fixedSerialPorts: [{ path: pty.devicePort, label: 'Ultra 2', drivers: ['onetouch-ultra2'] }], pollMs: 20 });
    const seen = record(manager);
    await manager.watch();
    const meter = { serial: 'SIM00042Y', unit: 'mg/dL' as const, clock: '2024-03-22T09:30:05', records: [{ time: '2024-03-21T16:45:24', value: 81 }] };
    // The meter's end of the cable, answering each command (DC1 CR, command, CR) as the meter would.
    const simulator = await serialportFactory.open(pty.simulatorPort, { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 });
    let heard = '';
    simulator.onData((chunk) => {
      const { commands, rest } = heardCommands(heard + Buffer.from(chunk).toString('latin1'));
      heard = rest;
      for (const command of commands) void simulator.write(ultra2Respond(meter, command));
    });
    await manager.start(`serial:${pty.devicePort}`, 'onetouch-ultra2');
    expect(await seen.until((e) => e.event === 'run.ended')).toMatchObject({ reason: 'completed' });
    expect(seen.readings().map((r) => r.value)).toEqual([81]);
    expect(seen.headers()).toEqual([{ count: 1, serial: 'SIM00042Y', unit: 'MG/DL' }, { meterTime: '2024-03-22T09:30:05' }]);
    await simulator.close();
  });

  it('offers a device plugged in after start within one polling interval', async () => {
    const hid = createScriptedHidFactory([]);
    manager = createDeviceManager({ serial: noSerial, hid, drivers, pollMs: 1000 });
    const seen = record(manager);
    await manager.watch();
    expect(manager.list()).toEqual([]);
    const plugged = Date.now();
    hid.plug(hidScript('hid-scale'));
    await seen.until((e) => e.event === 'devices.changed' && e.devices.some((d) => d.drivers.includes('hid-scale')), 2000);
    expect(Date.now() - plugged).toBeLessThan(2000);
  });

  it('ends the reading run of a device unplugged mid-reading', async () => {
    const hid = createScriptedHidFactory([hidScript('freestyle')], { delayMs: 30 });
    manager = createDeviceManager({ serial: noSerial, hid, drivers, pollMs: 20 });
    const seen = record(manager);
    await manager.watch();
    const runId = await manager.start('hid:simulated:freestyle', 'freestyle');
    hid.unplug('simulated:freestyle');
    const end = await seen.until((e) => e.event === 'run.ended' && e.runId === runId);
    expect(end).toMatchObject({ reason: 'unplugged' });
    expect(end.event === 'run.ended' && end.message).toMatch(/disconnected during the reading/);
    await seen.until((e) => e.event === 'devices.changed' && e.devices.length === 0);
  });

  it('reads a simulated CMS50D+ through a real pty, and ends cleanly when the cable goes', async () => {
    pty = await createPtyPair();
    manager = createDeviceManager({ serial: serialportFactory, hid: createScriptedHidFactory([]), drivers, fixedSerialPorts: [{ path: pty.devicePort, label: 'CMS50D+', drivers: ['cms50d'] }], pollMs: 20 });
    const seen = record(manager);
    await manager.watch();
    await manager.start(`serial:${pty.devicePort}`, 'cms50d');
    const simulator = await open(pty.simulatorPort, 'w');
    await simulator.write(cms50dLiveStream({ spo2: 96, pulse: 74, samples: 120 }));
    await seen.until(() => seen.readings().some((r) => r.kind === 'spo2' && r.value === 96));
    expect(seen.readings().find((r) => r.kind === 'pulse')).toMatchObject({ value: 74, unit: '/min', code: '8867-4' });
    expect(seen.events.some((e) => e.event === 'run.items' && e.items.some((i) => i.type === 'waveform'))).toBe(true);
    await simulator.close();
    await pty.unplug();
    const end = await seen.until((e) => e.event === 'run.ended');
    expect(end).toMatchObject({ reason: 'unplugged' });
  });

  it('ends a fixed port’s reading run as unplugged once its path is gone, even when the open port never says so', async () => {
    // A port that opens and then hears nothing, never closing by itself: only the path tells.
    const silentPort: SerialTransportFactory = {
      list: () => Promise.resolve([]),
      open: () => Promise.resolve({ write: () => Promise.resolve(), onData: () => undefined, onClose: () => undefined, close: () => Promise.resolve() }),
    };
    let present = true;
    manager = createDeviceManager({ serial: silentPort, hid: createScriptedHidFactory([]), drivers, fixedSerialPorts: [{ path: '/dev/ttyUSB7', label: 'CMS50D+', drivers: ['cms50d'] }], portExists: () => present, pollMs: 20 });
    const seen = record(manager);
    await manager.watch();
    const runId = await manager.start('serial:/dev/ttyUSB7', 'cms50d');
    present = false;
    const end = await seen.until((e) => e.event === 'run.ended' && e.runId === runId);
    expect(end).toMatchObject({ reason: 'unplugged' });
    await seen.until((e) => e.event === 'devices.changed' && e.devices.length === 0);
  });

  it('refuses a driver that does not fit the device, and a device that is gone', async () => {
    manager = createDeviceManager({ serial: noSerial, hid: createScriptedHidFactory([hidScript('hid-scale')]), drivers, pollMs: 20 });
    await manager.watch();
    await expect(manager.start('hid:simulated:hid-scale', 'contour-next')).rejects.toThrow('does not fit');
    await expect(manager.start('hid:nothing', 'hid-scale')).rejects.toThrow('no longer connected');
  });
});
