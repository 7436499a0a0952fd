/**
 * The words that identify a person in their own record: names, identifier
 * values, phone numbers and e-mail addresses, address lines, towns and
 * districts, as found in a Patient, a RelatedPerson, a Practitioner or
 * anywhere inside them (a patient's contacts). A note that mentions them
 * ("Mrs Banda's son", "lives near Kisiwa market") is scrubbed of them even
 * where no pattern would see a name.
 */

const minDigits = 4;

/** A word worth looking for: two letters or more, or a number of four digits or more (shorter numbers are readings). */
function worthKeeping(word: string): boolean {
  const trimmed = word.trim();
  if (/^[\d\s\-./()+]+$/.test(trimmed)) return trimmed.replace(/\D/g, '').length >= minDigits;
  return /[\p{L}\p{N}]{2,}/u.test(trimmed);
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  return [];
}

function collect(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, into);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const object = value as Record<string, unknown>;
  const found: string[] = [];
  // HumanName: each name part, and the written name's words.
  if ('family' in object || 'given' in object) found.push(...strings(object['family']), ...strings(object['given']), ...strings(object['text']).flatMap((text) => text.split(/\s+/)));
  // Identifier, ContactPoint: the value as written, and a phone number's digits alone.
  if (typeof object['value'] === 'string' && ('system' in object || 'use' in object || 'type' in object)) {
    found.push(object['value']);
    const digits = object['value'].replace(/\D/g, '');
    if (digits.length >= 7) found.push(digits);
  }
  // Address: lines, town, district, postal code, the written address.
  if ('line' in object || 'city' in object || 'district' in object) found.push(...strings(object['line']), ...strings(object['city']), ...strings(object['district']), ...strings(object['postalCode']), ...strings(object['text']));
  for (const word of found) if (worthKeeping(word)) into.add(word.trim());
  for (const [key, item] of Object.entries(object)) if (key !== 'text' || typeof item !== 'object') collect(item, into);
}

/** The identifying words in a resource (and all it holds). */
export function identifyingWords(resource: unknown): string[] {
  const words = new Set<string>();
  collect(resource, words);
  return [...words];
}
