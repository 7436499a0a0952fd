import type { Comparator, DeviceReading, DeviceStatus } from '../../../app/devices/decoded-item';
import { deviceTimeToMs, meterClockOffset, resultTiming, type ResultTiming } from '../../../app/devices/result-times';

/** One downloaded result as the pick list shows it. `index` is its place in the reading run's readings, which picking refers to. */
export interface DownloadRow {
  index: number;
  reading: DeviceReading;
  timing: ResultTiming;
}

/**
 * A meter's results for the nurse to pick from, newest first whatever order
 * the meter sent them in (meters differ), each marked when it is old or
 * dated in the future. Results without a usable time come last.
 */
export function downloadRows(readings: readonly DeviceReading[], now: Date, maxAgeDays: number): DownloadRow[] {
  const at = (row: DownloadRow) => (row.reading.time === undefined ? undefined : deviceTimeToMs(row.reading.time));
  return readings
    .map((reading, index) => ({ index, reading, timing: resultTiming(reading.time, now, maxAgeDays) }))
    .sort((a, b) => {
      const [x, y] = [at(a), at(b)];
      if (x === undefined || y === undefined) return x === y ? a.index - b.index : x === undefined ? 1 : -1;
      return y - x || a.index - b.index;
    });
}

/** Which sides of the meter's range the download's results went beyond: each is an emergency to say at once. */
export function beyondRangeSides(readings: readonly DeviceReading[]): Comparator[] {
  const sides = new Set(readings.flatMap((r) => (r.comparator === undefined ? [] : [r.comparator])));
  return (['>', '<'] as const).filter((side) => sides.has(side));
}

/**
 * The meter's clock when it is more than an hour from the workstation's at
 * the moment the header arrived; undefined when it is close enough or the
 * meter does not report its clock (only the Contour Next does, in its header).
 */
export function meterClockWarning(header: { status: DeviceStatus; receivedAt: string } | undefined): { meterTime: string; workstationTime: string } | undefined {
  const meterTime = header?.status.detail?.meterTime;
  if (header === undefined || typeof meterTime !== 'string') return undefined;
  const workstation = new Date(header.receivedAt);
  return meterClockOffset(meterTime, workstation) === undefined ? undefined : { meterTime, workstationTime: header.receivedAt };
}
