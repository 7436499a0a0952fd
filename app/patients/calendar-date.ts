/** Calendar dates as ISO `YYYY-MM-DD` strings, which compare correctly as text. */

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The date an ISO `YYYY-MM-DD` string names, or undefined unless it is a real calendar date. */
export function parseIsoDate(text: string): CalendarDate | undefined {
  const match = isoDatePattern.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/**
 * The local calendar date of an instant. Local, not UTC: a baby born this
 * morning in a clinic at UTC+3 was born "today" even while it is still
 * yesterday in UTC.
 */
export function localCalendarDate(instant: Date): CalendarDate {
  return { year: instant.getFullYear(), month: instant.getMonth() + 1, day: instant.getDate() };
}

export function toIsoDate({ year, month, day }: CalendarDate): string {
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/**
 * Whole years from one date to a later one; 0 when `to` is earlier. Someone
 * born on 29 February turns a year older on 1 March in common years.
 */
export function fullYearsBetween(from: CalendarDate, to: CalendarDate): number {
  const beforeAnniversary = to.month < from.month || (to.month === from.month && to.day < from.day);
  return Math.max(0, to.year - from.year - (beforeAnniversary ? 1 : 0));
}
