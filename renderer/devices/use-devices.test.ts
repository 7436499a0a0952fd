import { describe, expect, it } from 'vitest';
import { unreadableDeviceEventMessage } from '../../app/contract/device-events';
import type { DecodedItem } from '../../app/devices/decoded-item';
import { meterClockWarning } from '../pages/capture/download-rows';
import { reduceDevices } from './use-devices';

describe('capture screen state from device events', () => {
  const started = reduceDevices({ devices: [], runs: {} }, { type: 'started', runId: 'run-1', deviceId: 'hid:x' });

  it('puts an unreadable event of a known reading run on that run, in plain words', () => {
    const next = reduceDevices(started, { type: 'event', event: { event: 'unreadable', runId: 'run-1', message: unreadableDeviceEventMessage } });
    expect(next.runs['run-1']).toMatchObject({ unreadable: unreadableDeviceEventMessage, readings: [] });
    expect(next.unreadable).toBeUndefined();
  });

  it('shows an unreadable event that names no known reading run above the device list', () => {
    for (const runId of [undefined, 'run-9']) {
      const next = reduceDevices(started, { type: 'event', event: { event: 'unreadable', runId, message: unreadableDeviceEventMessage } });
      expect(next.unreadable).toBe(unreadableDeviceEventMessage);
      expect(next.runs['run-1']?.unreadable).toBeUndefined();
    }
  });

  const identity = { driver: 'contour-next', manufacturer: 'Ascensia', model: 'Contour Next USB' } as const;
  const items = (list: DecodedItem[], receivedAt = '2025-06-15T10:00:00.000Z') =>
    reduceDevices(started, { type: 'event', event: { event: 'run.items', runId: 'run-1', deviceId: 'hid:x', identity, items: list, receivedAt } });

  it('keeps a meter header (its clock) apart, so the statuses after it do not hide it', () => {
    const header = { status: 'header', detail: { meterTime: '2024-03-05T09:30:00' }, raw: '48' } as const;
    const next = items([
      { type: 'status', status: header },
      { type: 'reading', reading: { kind: 'glucoseMass', code: '41653-7', value: 600, unit: 'mg/dL', comparator: '>', time: '2024-03-04T07:15', raw: '52' } },
      { type: 'status', status: { status: 'ok', detail: { excluded: 'control-solution' }, raw: '52' } },
    ]);
    expect(next.runs['run-1']?.header).toEqual({ status: header, receivedAt: '2025-06-15T10:00:00.000Z' });
    expect(next.runs['run-1']?.readings[0]).toMatchObject({ value: 600, comparator: '>', device: identity });
  });

  it('keeps the meter’s clock when a download’s serial header came first, as the FreeStyle and OneTouch drivers send them', () => {
    const clock = { status: 'header', detail: { meterTime: '2025-06-18T14:30:00' }, raw: '46' } as const;
    const next = items([
      { type: 'status', status: { status: 'header', detail: { count: 1, serial: 'ZZA1234BY', unit: 'MG/DL' }, raw: '50' } },
      { type: 'reading', reading: { kind: 'glucoseMass', code: '41653-7', value: 81, unit: 'mg/dL', time: '2025-06-15T08:00:00', raw: '50' } },
      { type: 'status', status: clock },
    ]);
    const header = next.runs['run-1']?.header;
    expect(header).toEqual({ status: clock, receivedAt: '2025-06-15T10:00:00.000Z' });
    expect(meterClockWarning(header)).toEqual({ meterTime: '2025-06-18T14:30:00', workstationTime: '2025-06-15T10:00:00.000Z' });
  });

  it('drops a live device state once a reading follows it: a settled weight is not "still settling"', () => {
    const scale = { ...identity, driver: 'hid-scale' } as const;
    const weighing = reduceDevices(started, {
      type: 'event',
      event: {
        event: 'run.items',
        runId: 'run-1',
        deviceId: 'hid:x',
        identity: scale,
        items: [
          { type: 'status', status: { status: 'searching', detail: { scale: 'in-motion' }, raw: '03' } },
          { type: 'reading', reading: { kind: 'bodyWeight', code: '29463-7', value: 72.4, unit: 'kg', raw: '03' } },
        ],
        receivedAt: '2025-06-15T10:00:00.000Z',
      },
    });
    expect(weighing.runs['run-1']?.status).toBeUndefined();
  });
});
