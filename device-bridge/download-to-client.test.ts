import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient, type ClientDeviceEvent, type Transport } from '../app/contract/client';
import { maxItemsPerEvent, type DeviceEvent } from '../app/contract/device-events';
import { eventEnvelope } from '../app/contract/envelope';
import type { DecodedItem, DecodedReading } from '../app/devices/decoded-item';
import { createDeviceManager, type DeviceManager } from './device-manager';
import type { Driver } from './drivers/driver';
import { meterRespond, glucoseRecord, type SimulatedMeter } from './drivers/freestyle/simulator';
import { ascii } from './drivers/freestyle/reports';
import { drivers } from './drivers/registry';
import { createScriptedHidFactory } from './transports/scripted-hid';
import type { SerialTransportFactory } from './transports/serial-transport';
import { toHex } from '../app/crypto/bytes';

/**
 * A whole download, from the meter's USB reports to what the renderer's API
 * client hands the capture screen: the real decoder, the real device manager,
 * events wrapped and serialised as the transports send them, and the real
 * client's validation on arrival. Only Electron and the socket are left out.
 */
const noSerial: SerialTransportFactory = { list: () => Promise.resolve([]), open: () => Promise.reject(new Error('none')) };

/** A Precision Neo with a full memory: 1,000 results, all patient tests, newest first. */
const fullMeter: SimulatedMeter = {
  serial: 'SIMNEO1-01000',
  results: Array.from({ length: 1000 }, (_, i) => {
    const minutes = 1000 * 600 - i * 600; // ten hours apart
    const time = new Date(Date.UTC(2024, 0, 1) + minutes * 60_000).toISOString().slice(0, 16);
    return { value: 70 + ((i * 37) % 200), time };
  }),
};

/** Carries events as the WebSocket and IPC transports do: enveloped, and as a copy (JSON round trip). */
function eventPipe() {
  const listeners = new Set<(envelope: unknown) => void>();
  const transport: Transport = {
    kind: 'websocket',
    send: () => Promise.reject(new Error('no calls in this test')),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const carry = (payload: DeviceEvent) => {
    const text = JSON.stringify(eventEnvelope('devices', payload));
    listeners.forEach((l) => l(JSON.parse(text)));
  };
  return { transport, carry };
}

let manager: DeviceManager | undefined;
afterEach(async () => {
  await manager?.close();
  manager = undefined;
});

async function until(test: () => boolean, ms = 10_000): Promise<void> {
  const started = Date.now();
  while (!test()) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a FreeStyle download on its way to the capture screen', () => {
  it('brings all 1,000 stored results to the client, in order, each with its own record as raw', async () => {
    const hid = createScriptedHidFactory([
      {
        info: { path: 'simulated:freestyle-full', vendorId: 0x1a61, productId: 0x3850 },
        respond: (report) => meterRespond(fullMeter, report),
      },
    ]);
    manager = createDeviceManager({ serial: noSerial, hid, drivers, pollMs: 1000 });
    const pipe = eventPipe();
    manager.subscribe(pipe.carry);
    const heard: ClientDeviceEvent[] = [];
    createApiClient(pipe.transport).on('devices', (event) => heard.push(event));

    await manager.watch();
    await manager.start('hid:simulated:freestyle-full', 'freestyle');
    await until(() => heard.some((e) => e.event === 'run.ended'));

    expect(heard.filter((e) => e.event === 'unreadable')).toEqual([]);
    expect(heard.find((e) => e.event === 'run.ended')).toMatchObject({ reason: 'completed' });
    const readings: DecodedReading[] = heard.flatMap((e) => (e.event === 'run.items' ? e.items.flatMap((i) => (i.type === 'reading' ? [i.reading] : [])) : []));
    expect(readings).toHaveLength(1000);
    expect(readings.map((r) => r.value)).toEqual(fullMeter.results.map((r) => r.value));
    // The audit trail of each reading is its own record line, not the reply it came in.
    expect(readings[0]?.raw).toBe(toHex(ascii(glucoseRecord(fullMeter.results[0]!, 1000))));
  });

  it('sends more items than one event may carry as several events, in order, all of them readable', async () => {
    // A driver whose one report decodes to 2.5 events' worth of items, as a big serial backlog could.
    const total = Math.floor(maxItemsPerEvent * 2.5);
    const many: Driver = {
      ...drivers.freestyle,
      decode: (bytes) => ({ consumed: bytes.length, items: Array.from({ length: total }, (_, i): DecodedItem => ({ type: 'status', status: { status: 'ok', detail: { n: i }, raw: '' } })) }),
      createHandshake: () => ({ start: () => [], onItems: () => ({ send: [], done: true }) }),
    };
    const hid = createScriptedHidFactory([{ info: { path: 'simulated:many', vendorId: 0x1a61, productId: 0x3850 }, onOpen: () => [new Uint8Array(64)], respond: () => [] }]);
    manager = createDeviceManager({ serial: noSerial, hid, drivers: { ...drivers, freestyle: many }, pollMs: 1000 });
    const pipe = eventPipe();
    manager.subscribe(pipe.carry);
    const heard: ClientDeviceEvent[] = [];
    createApiClient(pipe.transport).on('devices', (event) => heard.push(event));

    await manager.watch();
    await manager.start('hid:simulated:many', 'freestyle');
    await until(() => heard.some((e) => e.event === 'run.ended'));

    expect(heard.filter((e) => e.event === 'unreadable')).toEqual([]);
    const batches = heard.flatMap((e) => (e.event === 'run.items' ? [e.items] : []));
    expect(batches.map((b) => b.length)).toEqual([maxItemsPerEvent, maxItemsPerEvent, total - 2 * maxItemsPerEvent]);
    expect(batches.flat().map((i) => (i.type === 'status' ? i.status.detail?.n : undefined))).toEqual(Array.from({ length: total }, (_, i) => i));
  });
});
