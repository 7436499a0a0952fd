import { describe, expect, it } from 'vitest';
import type { DeviceReading, DeviceStatus } from '../../../app/devices/decoded-item';
import { beyondRangeSides, downloadRows, meterClockWarning } from './download-rows';

const device = { driver: 'freestyle', manufacturer: 'Abbott', model: 'FreeStyle Precision Neo' } as const;
const reading = (time: string | undefined, value: number, extra: Partial<DeviceReading> = {}): DeviceReading => ({
  kind: 'glucoseMass',
  code: '41653-7',
  value,
  unit: 'mg/dL',
  ...(time === undefined ? {} : { time }),
  raw: '37',
  device,
  receivedAt: '2025-06-15T10:00:00.000Z',
  ...extra,
});
const now = new Date('2025-06-15T12:00:00');

describe('a glucometer download as the nurse picks from it', () => {
  it('lists results newest first whatever order the meter sent, untimed last, keeping each one’s place for picking', () => {
    const readings = [reading('2025-06-14T07:15', 104), reading(undefined, 99), reading('2025-06-15T09:00', 162), reading('2025-06-15T08:00', 98)];
    expect(downloadRows(readings, now, 7).map((r) => [r.index, r.reading.value])).toEqual([
      [2, 162],
      [3, 98],
      [0, 104],
      [1, 99],
    ]);
  });

  it('marks results older than the age limit and results dated in the future', () => {
    const rows = downloadRows([reading('2025-06-15T11:00', 120), reading('2025-06-01T11:00', 140), reading('2025-06-16T11:00', 130)], now, 7);
    expect(rows.map((r) => [r.reading.value, r.timing])).toEqual([
      [130, 'future'],
      [120, 'current'],
      [140, 'old'],
    ]);
    expect(downloadRows([reading('2025-06-13T11:00', 120)], now, 1)[0]?.timing).toBe('old');
  });

  it('names each side of the range some result went beyond', () => {
    expect(beyondRangeSides([reading('2025-06-15T11:00', 120)])).toEqual([]);
    expect(beyondRangeSides([reading('2025-06-15T11:00', 500, { comparator: '>' }), reading('2025-06-15T10:00', 600, { comparator: '>' })])).toEqual(['>']);
    expect(beyondRangeSides([reading('2025-06-15T11:00', 20, { comparator: '<' }), reading('2025-06-15T10:00', 500, { comparator: '>' })])).toEqual(['>', '<']);
  });
});

describe('the meter clock warning', () => {
  const header = (detail: DeviceStatus['detail'], receivedAt: string) => ({ status: { status: 'header' as const, ...(detail ? { detail } : {}), raw: '' }, receivedAt });
  const received = new Date('2025-06-15T12:00:00').toISOString();

  it('shows the meter’s clock when it is more than an hour off', () => {
    expect(meterClockWarning(header({ meterTime: '2024-03-05T09:30:00' }, received))).toEqual({ meterTime: '2024-03-05T09:30:00', workstationTime: received });
    expect(meterClockWarning(header({ meterTime: '2025-06-15T13:30:00' }, received))).toBeDefined();
  });

  it('stays silent within the hour, and for meters that do not report their clock', () => {
    expect(meterClockWarning(header({ meterTime: '2025-06-15T12:40:00' }, received))).toBeUndefined();
    expect(meterClockWarning(header({ serial: 'SIMNEO1-00042' }, received))).toBeUndefined();
    expect(meterClockWarning(undefined)).toBeUndefined();
  });
});
