/**
 * How much to trust a stored glucometer result's time. A meter keeps weeks
 * of results, from whoever used it, stamped by its own clock: a result from
 * last month, or "from tomorrow", picked as today's would put a wrong value
 * in this patient's chart, so the capture screen marks both.
 */

/**
 * A meter clock further than this from the workstation's is shown. Smaller
 * drifts are common and harmless; an hour is a time zone or summer-time
 * change never made, or a clock reset by a flat battery.
 */
export const meterClockTolerance = 60 * 60 * 1000;

/**
 * A result this little "in the future" is left unmarked: meter clocks drift
 * by minutes, and flagging every fresh result of a slightly fast meter would
 * teach nurses to ignore the mark. A larger offset is shown as a clock
 * problem anyway where the meter reports its clock.
 */
export const futureResultTolerance = 5 * 60 * 1000;

const dayMs = 24 * 60 * 60 * 1000;

/**
 * A device's own local time (`YYYY-MM-DDTHH:MM[:SS]`, no zone) as an instant,
 * read as this workstation's local time; undefined when it is not one.
 */
export function deviceTimeToMs(time: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(time)) return undefined;
  const ms = new Date(time).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

export type ResultTiming = 'current' | 'old' | 'future' | 'untimed';

/** Whether a stored result's time is usable as it is, too old, or later than now. */
/** `maxAgeDays` is the clinic's setting (app/settings/clinic-settings.ts, 7 days unless an admin changes it). */
export function resultTiming(time: string | undefined, now: Date, maxAgeDays: number): ResultTiming {
  const at = time === undefined ? undefined : deviceTimeToMs(time);
  if (at === undefined) return 'untimed';
  const difference = now.getTime() - at;
  if (difference < -futureResultTolerance) return 'future';
  if (difference > maxAgeDays * dayMs) return 'old';
  return 'current';
}

/**
 * How far the meter's clock is from the workstation's (meter minus
 * workstation, in ms) when that is more than `meterClockTolerance`;
 * undefined when it is within it or the meter's time cannot be read.
 */
export function meterClockOffset(meterTime: string, workstationTime: Date): number | undefined {
  const at = deviceTimeToMs(meterTime);
  if (at === undefined) return undefined;
  const offset = at - workstationTime.getTime();
  return Math.abs(offset) > meterClockTolerance ? offset : undefined;
}
