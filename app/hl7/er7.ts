/**
 * HL7 v2's pipe-and-hat text (ER7) as we write it: the default delimiters
 * (`|` fields, `^` components, `&` subcomponents, `~` repetitions, `\`
 * escape), text escaped as v2.5.1 chapter 2.7 says, and times as DTM. Our
 * own: the messages we send are one kind, built from values we hold, and a
 * general HL7 library's builder would bring its whole model for four
 * escapes; @medplum/hl7 carries them over MLLP, and tests parse them back
 * with an independent parser (node-hl7-client).
 */

export const segmentSeparator = '\r';

/** Text as a component: the five delimiter characters escaped, line breaks as `\.br\`. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\E\\')
    .replace(/\|/g, '\\F\\')
    .replace(/\^/g, '\\S\\')
    .replace(/&/g, '\\T\\')
    .replace(/~/g, '\\R\\')
    .replace(/\r\n|\r|\n/g, '\\.br\\');
}

/** Components of one field; each already escaped. Trailing empty components are dropped, as v2 allows. */
export function components(...parts: readonly string[]): string {
  const kept = [...parts];
  while (kept.length > 0 && kept.at(-1) === '') kept.pop();
  return kept.join('^');
}

/** A segment: its id, then its fields from field 1 on (MSH's field 1 is the separator itself and is written by `mshSegment`). */
export function segment(id: string, fields: readonly string[]): string {
  const kept = [...fields];
  while (kept.length > 0 && kept.at(-1) === '') kept.pop();
  return [id, ...kept].join('|');
}

const isoWithOffset = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO date-time with its offset as v2's DTM, to the second with the
 * offset kept (`2025-06-15T09:30:00+02:00` → `20250615093000+0200`): the
 * clinic's local time, as the reading was taken.
 */
export function dtm(iso: string): string {
  const match = isoWithOffset.exec(iso);
  if (match === null) throw new Error('not an ISO date-time with an offset');
  const [, y, mo, d, h, mi, s, zone] = match;
  return `${y}${mo}${d}${h}${mi}${s}${zone === 'Z' ? '+0000' : zone!.replace(':', '')}`;
}

/** A calendar date (YYYY-MM-DD) as v2's DT (YYYYMMDD). */
export function dt(date: string): string {
  return date.replace(/-/g, '');
}
