/**
 * ASTM E1394 record helpers. A record is one line of text whose first
 * character names its type (H header, P patient, O order, R result, C
 * comment, L terminator) and whose fields are split by the delimiters the
 * header declares in its characters 1-4. The Contour meters always declare
 * `|\^&` (field, repeat, component, escape); every sample in the sources we
 * read does, so records other than H are split with those.
 */
export const FIELD = '|';
export const COMPONENT = '^';

export const fields = (record: string): string[] => record.split(FIELD);
export const components = (field: string | undefined): string[] => (field ?? '').split(COMPONENT);

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const two = (n: number): string => String(n).padStart(2, '0');

/**
 * Local wall-clock time as the meter stored it, `YYYY-MM-DDTHH:MM:SS`
 * (no offset: the meter has no time zone), or undefined when the digits
 * are not a real date and time.
 */
export function localTime(year: number, month: number, day: number, hour: number, minute: number, second = 0): string | undefined {
  const ok =
    [year, month, day, hour, minute, second].every(Number.isInteger) &&
    year >= 1970 &&
    year <= 2099 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour <= 23 &&
    hour >= 0 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59;
  return ok ? `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}` : undefined;
}

/** An E1394 timestamp field, `YYYYMMDDhhmm` or `YYYYMMDDhhmmss`. */
export function parseTimestamp(field: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/.exec(field ?? '');
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  return localTime(y ?? 0, mo ?? 0, d ?? 0, h ?? 0, mi ?? 0, s ?? 0);
}
