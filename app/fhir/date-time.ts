import { parseIsoDate } from '../patients/calendar-date';

/**
 * Stored instants as FHIR `dateTime`/`instant` values. The store's schemas
 * (zod `iso.datetime` with an offset) already require seconds and an offset,
 * but accept what FHIR refuses: more than nine fraction digits, and offsets
 * beyond FHIR's ±14:00 (zod allows up to ±23:59). The local offset is kept
 * when FHIR allows it (it tells a reader the clinic's local time); otherwise
 * the instant is written in UTC, which names the same moment.
 */

const storedInstant = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const fhirOffset = /^(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))$/;

/**
 * `text` as a FHIR instant (valid as a dateTime too). Throws when it is not
 * an ISO date-time with an offset on a real calendar day (JavaScript's
 * parser would take 30 February as 2 March).
 */
export function toFhirInstant(text: string): string {
  const match = storedInstant.exec(text);
  const [, date = '', time = '', fraction = '', offset = ''] = match ?? [];
  if (match === null || parseIsoDate(date) === undefined || Number.isNaN(Date.parse(text))) throw new Error('not an ISO date-time with an offset');
  // FHIR allows at most nine fraction digits; cutting (not rounding) never carries into the seconds.
  if (fhirOffset.test(offset)) return `${date}${time}${fraction.slice(0, 10)}${offset}`;
  return new Date(Date.parse(text)).toISOString();
}
