/**
 * Free text with identifiers taken out where they are, rather than the
 * whole text dropped (Microsoft's anonymizer can only redact a string
 * whole, and a nurse's note is worth keeping): spans that look like
 * identifiers by their shape (e-mail addresses, URLs, IP addresses, phone
 * and other long numbers, written dates, ages over 89, coordinates, vehicle
 * numbers) and the patient's own names and numbers found elsewhere in their
 * record are replaced by a marker. Clinical values stay: an SpO2 of 97, a
 * weight of 95 kg or a pressure of 128/84 is not an identifier.
 */

import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';

export type { CountryCode };

export const redactedMarker = '[redacted]';

const monthNames = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|janv(?:ier)?|févr(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|août|sept(?:embre)?|déc(?:embre)?';

/** Shapes of identifiers in text, each replaced whole. Order matters: longer shapes first. */
const shapes: readonly RegExp[] = [
  // E-mail addresses and web addresses.
  /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/giu,
  /\b(?:https?|ftp):\/\/[^\s<>"]+|\bwww\.[^\s<>"]+/gi,
  // IP addresses (v4, and v6 in its usual written forms).
  /\b(?:\d{1,3}\.){3}\d{1,3}\b/g,
  /\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}\b/gi,
  // Coordinates: two decimal degrees.
  /-?\b\d{1,3}\.\d{3,}\s*[,;]\s*-?\d{1,3}\.\d{3,}\b/g,
  // Dates written with numbers (2025-06-15, 15/06/2025, 15.06.25) and with month names (15 June 2025, June 15, Jun 2025).
  /\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?\b/g,
  /\b\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})\b/g,
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th|er)?\\s+(?:of\\s+)?(?:${monthNames})\\.?(?:,?\\s+\\d{2,4})?\\b`, 'giu'),
  new RegExp(`\\b(?:${monthNames})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?\\b`, 'giu'),
  new RegExp(`\\b(?:${monthNames})\\.?\\s+\\d{4}\\b`, 'giu'),
  // Vehicle identification numbers (17 characters, no I, O or Q) and numbers said to be plates.
  /\b[A-HJ-NPR-Z0-9]{17}\b/g,
  /\b(?:plate|registration|reg\.?)(?:\s+(?:no\.?|number))?\s*[:#]?\s*[A-Z0-9][A-Z0-9 -]{2,9}[A-Z0-9]\b/gi,
  // A name after a title or a form of address (Mrs Ngoné, Dr. C. Okafor, Mama Zawadi): the name, whoever it is.
  /(?<=\b(?:Mr|Mrs|Ms|Miss|Mme|Mlle|Dr|Prof|Sr|Sister|Nurse|Bi|Bw|Mama|Baba)\.?\s+)(?:\p{Lu}\.\s*)*\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?/gu,
  // Phone numbers and other long numbers (record, account, licence, national ID numbers): seven digits or more,
  // with the separators people write between them, and a + or letters stuck to them.
  /(?:\+|\b)[\p{L}]{0,4}\d(?:[\s\-./()]{0,2}\d){6,}[\p{L}]{0,3}\b/gu,
];

/** "aged 93", "age: 93", "93 years old", "93-year-old", "93 yo": ages over 89 become 90+, as Safe Harbor asks. */
const ageAfter = /\b(aged?\s*:?\s*)(\d{2,3})\b/gi;
const ageBefore = /\b(\d{2,3})(\s*-?\s*(?:years?|yrs?|yo|y\/o|ans?)(?:[\s-]+old)?)\b/gi;
const over89 = (years: string) => Number(years) > 89;

/** Lower case, without accents, as people type the same name differently. */
export function foldForMatch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The patient's own words as patterns: each name or number of at least two
 * letters or digits, matched whole-word, ignoring case and accents, in a
 * text folded the same way (`knownSpans`).
 */
const patternsOf = new WeakMap<readonly string[], RegExp | undefined>();

/** The pattern for a list of words, built once per list (a sweep scrubs every string of a record with the same list). */
function knownPatternsOnce(known: readonly string[]): RegExp | undefined {
  if (!patternsOf.has(known)) patternsOf.set(known, knownPatterns(known));
  return patternsOf.get(known);
}

function knownPatterns(known: readonly string[]): RegExp | undefined {
  const words = [...new Set(known.map((word) => foldForMatch(word.trim())).filter((word) => /[\p{L}\p{N}]{2,}/u.test(word)))].sort((a, b) => b.length - a.length);
  if (words.length === 0) return undefined;
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'gu');
}

/** Spans [start, end) of `text` the patient's own words cover. */
function knownSpans(text: string, pattern: RegExp): [number, number][] {
  // Plain ASCII folds by lower-casing alone, index for index (most strings are codes, numbers and English words).
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return [...text.toLowerCase().matchAll(pattern)].map((match) => [match.index, match.index + match[0].length]);
  // Each character folds to exactly one code unit (its base letter, or itself), so the folded text's index i is the
  // original's character i; `offsets` turns that into the original's code units.
  const chars = [...text];
  const folded = chars.map((char) => foldForMatch(char).slice(0, 1) || char).join('');
  const offsets = [0];
  for (const char of chars) offsets.push(offsets.at(-1)! + char.length);
  return [...folded.matchAll(pattern)].map((match) => [offsets[match.index]!, offsets[match.index + match[0].length]!]);
}

export interface ScrubContext {
  /** The patient's names and numbers as found elsewhere in their record (family and given names, identifiers, phone). */
  known?: readonly string[];
  /**
   * The clinic's country (ISO 3166 alpha-2): its phone numbers as people
   * there write them are found too, however short (Andorra's have six
   * digits). International numbers (+…) are found whatever it is.
   */
  country?: CountryCode | undefined;
  /**
   * Only the patient's own words, not shapes: for strings that are codes,
   * systems and URLs by FHIR's definition, where a SNOMED code's digits or a
   * canonical URL are no identifiers but a name typed there would be.
   */
  knownOnly?: boolean;
}

/** Phone numbers by libphonenumber's rules for the country, and international ones. */
function phoneSpans(text: string, country: CountryCode | undefined): [number, number][] {
  // No country's numbers have fewer than four digits; most strings (codes, words, readings) have fewer, and are passed by at once.
  if (!/\d(?:\D*\d){3}/.test(text)) return [];
  const found = country === undefined ? findPhoneNumbersInText(text) : findPhoneNumbersInText(text, country);
  return found.map((match) => [match.startsAt, match.endsAt]);
}

/** `text` with identifiers replaced by `[redacted]` (ages over 89 by `90+`). */
export function scrubText(text: string, context: ScrubContext = {}): string {
  const spans: [number, number][] = [];
  const pattern = context.known === undefined ? undefined : knownPatternsOnce(context.known);
  if (pattern) spans.push(...knownSpans(text, pattern));
  if (context.knownOnly === true) return replaced(text, spans);
  spans.push(...phoneSpans(text, context.country));
  for (const shape of shapes) for (const match of text.matchAll(shape)) spans.push([match.index, match.index + match[0].length]);
  return replaced(text, spans)
    .replace(ageAfter, (whole, prefix: string, years: string) => (over89(years) ? `${prefix}90+` : whole))
    .replace(ageBefore, (whole, years: string, suffix: string) => (over89(years) ? `90+${suffix}` : whole));
}

/** `text` with the spans (which may overlap) replaced by the marker. */
function replaced(text: string, spans: [number, number][]): string {
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  // Overlapping spans (a name inside an e-mail address) become one.
  const merged: [number, number][] = [];
  for (const [start, end] of spans) {
    const last = merged.at(-1);
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  let out = '';
  let at = 0;
  for (const [start, end] of merged) {
    out += text.slice(at, start) + redactedMarker;
    at = end;
  }
  return out + text.slice(at);
}
