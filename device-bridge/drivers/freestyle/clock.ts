import type { DecodedItem } from '../decoder';
import { linkItem } from './link';
import { ascii } from './reports';
import { toHex } from '../../../app/crypto/bytes';

/**
 * The meter's clock, as the verified message of a `$date?` or `$time?` reply
 * (glucometer-protocols "shared-hid-protocol", `$date` and `$time`;
 * glucometerutils `support/freestyle.py` `get_datetime`):
 *
 *   $date?  →  month "," day "," year CR LF     each 1-3 digits, year = 2000 + yy
 *   $time?  →  hour "," minute CR LF
 *
 * A clock that lost its power reports 255 in every field. The decoder keeps
 * no state, so it tells these replies apart from the `$serlnum?` line by
 * shape: three or two comma-separated numbers, which no serial number is.
 */
const DATE_LINE = /^(\d{1,3}),(\d{1,3}),(\d{1,3})\r\n$/;
const TIME_LINE = /^(\d{1,3}),(\d{1,3})\r\n$/;
const UNSET = 255;

const two = (n: number): string => String(n).padStart(2, '0');
const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** `YYYY-MM-DD` for the meter's date fields, or undefined when they are not a date of 2000-2099. */
export function meterDate(month: number, day: number, yy: number): string | undefined {
  // The year is two digits at most (glucometer-protocols); 2000 is added, as glucometerutils does.
  if (yy > 99 || month < 1 || month > 12) return undefined;
  const year = 2000 + yy;
  return day >= 1 && day <= daysIn(year, month) ? `${year}-${two(month)}-${two(day)}` : undefined;
}

/** `HH:MM` for the meter's time fields, or undefined when they are not a time of day. */
export function meterClock(hour: number, minute: number): string | undefined {
  return hour <= 23 && minute <= 59 ? `${two(hour)}:${two(minute)}` : undefined;
}

const unreadable = (reason: string, raw: string): DecodedItem => ({ type: 'error', error: { code: 'unsupported', reason, raw } });

/**
 * Items for a verified reply whose message has the shape of a clock answer,
 * or undefined when it has neither shape. A good date gives a `date` link
 * with `meterDate`, a good time a `time` link with `meterClock`; a clock
 * that is not set, or fields that are no date or time, give an error that
 * says so and the link without its value, so the handshake still moves on
 * and the results already downloaded stand. `raw` is the whole reply, a few
 * dozen bytes.
 */
export function clockItems(message: string, reply: string): DecodedItem[] | undefined {
  const date = DATE_LINE.exec(message);
  const time = date ? undefined : TIME_LINE.exec(message);
  if (!date && !time) return undefined;
  // Only a clock-shaped reply gets here, so its whole text is a few dozen bytes.
  const raw = toHex(ascii(reply));
  if (date) {
    const [month = 0, day = 0, yy = 0] = date.slice(1).map(Number);
    const shown = `${month},${day},${yy}`;
    if (month === UNSET && day === UNSET && yy === UNSET) return [unreadable("The meter's clock is not set (its date reads 255,255,255).", raw), linkItem('date', raw)];
    const value = meterDate(month, day, yy);
    if (value === undefined) return [unreadable(`The meter's date "${shown}" is not a date.`, raw), linkItem('date', raw)];
    return [linkItem('date', raw, { meterDate: value })];
  }
  if (time) {
    const [hour = 0, minute = 0] = time.slice(1).map(Number);
    if (hour === UNSET && minute === UNSET) return [unreadable("The meter's clock is not set (its time reads 255,255).", raw), linkItem('time', raw)];
    const value = meterClock(hour, minute);
    if (value === undefined) return [unreadable(`The meter's time "${hour},${minute}" is not a time of day.`, raw), linkItem('time', raw)];
    return [linkItem('time', raw, { meterClock: value })];
  }
  return undefined;
}
