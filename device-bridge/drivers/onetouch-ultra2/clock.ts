import type { DecodedItem } from '../decoder';
import { localTime } from './local-time';

/**
 * The answer to DMF, the meter's clock, once its checksum has held (the same
 * 16-bit sum as every other line):
 *
 *   F "DDD","MM/DD/YY","HH:MM:SS   " CCCC CR LF
 *
 * Day of week, date, time then three spaces, as in a result line
 * (glucometerutils otultra2.py `get_datetime` reads `DMF` this way, the year
 * as 20YY; a serial trace of LifeScan's own software shows
 * `F "TUE","08/12/14","15:40:16   " 060B`).
 */
const CLOCK = /^F "[A-Z]{3}","(\d{2})\/(\d{2})\/(\d{2})","(\d{2}):(\d{2}):(\d{2}) {3}"$/;

/**
 * The clock as a `header` status with `meterTime` (`YYYY-MM-DDTHH:MM:SS`, the
 * meter's local clock, no offset, as its results' times), an `unsupported`
 * error when the fields are no real date and time, or undefined when `body`
 * is not a DMF answer.
 */
export function clockItem(body: string, raw: string): DecodedItem | undefined {
  const m = CLOCK.exec(body);
  if (!m) return undefined;
  const [month = 0, day = 0, year = 0, hour = 0, minute = 0, second = 0] = m.slice(1).map(Number);
  const meterTime = localTime(month, day, year, hour, minute, second);
  if (meterTime === undefined) return { type: 'error', error: { code: 'unsupported', reason: "The meter's clock reads a date or time that does not exist.", raw } };
  return { type: 'status', status: { status: 'header', detail: { meterTime }, raw } };
}
