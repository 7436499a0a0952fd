import { open } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../app/contract/device-events';
import { createDeviceManager, type DeviceManager } from './device-manager';
import { cms50dLiveStream } from './drivers/cms50d/simulator';
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
  const readings = () => events.flatMap((e) => (e.event === 'session.items' ? e.items.flatMap((i) => (i.type === 'reading' ? [i.reading] : [])) : []));
  return { events, until, readings };
}

describe('device manager', () => {
  it('downloads a simulated Contour Next over HID to the end, control results excluded', async () => {
    manager = createDeviceManager({ serial: noSerial, hid: createScriptedHidFactory([hidScript('contour-next')]), drivers, pollMs: 20 });
    const seen = record(manager);
    await manager.watch();
    const [device] = manager.list();
    expect(device).toMatchObject({ transport: 'hid', drivers: ['contour-next'], state: 'ready' });
    await manager.start(device!.id, 'contour-next');
    const end = await seen.until((e) => e.event === 'session.ended');
    expect(end).toMatchObject({ reason: 'completed' });
    expect(seen.readings().map((r) => [r.value, r.unit, r.code])).toEqual([
      [104, 'mg/dL', '41653-7'],
      [162, 'mg/dL', '41653-7'],
    ]);
    expect(manager.list()[0]?.state).toBe('ready');
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

  it('ends the session of a device unplugged mid-reading', async () => {
    const hid = createScriptedHidFactory([hidScript('freestyle')], { delayMs: 30 });
    manager = createDeviceManager({ serial: noSerial, hid, drivers, pollMs: 20 });
    const seen = record(manager);
    await manager.watch();
    const sessionId = await manager.start('hid:simulated:freestyle', 'freestyle');
    hid.unplug('simulated:freestyle');
    const end = await seen.until((e) => e.event === 'session.ended' && e.sessionId === sessionId);
    expect(end).toMatchObject({ reason: 'unplugged' });
    expect(end.event === 'session.ended' && end.message).toMatch(/disconnected during the reading/);
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
    expect(seen.events.some((e) => e.event === 'session.items' && e.items.some((i) => i.type === 'waveform'))).toBe(true);
    await simulator.close();
    await pty.unplug();
    const end = await seen.until((e) => e.event === 'session.ended');
    expect(end).toMatchObject({ reason: 'unplugged' });
  });

  it('refuses a driver that does not fit the device, and a device that is gone', async () => {
    manager = createDeviceManager({ serial: noSerial, hid: createScriptedHidFactory([hidScript('hid-scale')]), drivers, pollMs: 20 });
    await manager.watch();
    await expect(manager.start('hid:simulated:hid-scale', 'contour-next')).rejects.toThrow('does not fit');
    await expect(manager.start('hid:nothing', 'hid-scale')).rejects.toThrow('no longer connected');
  });
});
