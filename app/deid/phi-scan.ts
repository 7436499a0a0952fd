import { redactedMarker } from './free-text';
import { walkR4 } from './r4-shape';

/**
 * The Open Data Hub's own check of what a workstation sends, independent of
 * the workstation's de-identification: it does not trust the rules that
 * made the data, it looks at the data. Every element is typed by FHIR R4's
 * model and checked against what de-identified data may hold: no names,
 * contacts, identifiers, attachments or signatures; ids and references only
 * as pseudonyms (64 hex digits); addresses no finer than the district, a
 * postal code only as three digits; dates no finer than the month; ages
 * over 89 only as "90 or more"; no text an extension holds; and free text
 * with nothing shaped like a phone number, e-mail or web address, IP
 * address, coordinates or a written date. A finding names its rule and the
 * JSON path (element names and indices), never the value.
 */

export interface PhiFinding {
  rule: PhiRule;
  path: string;
}

export const phiRules = {
  shape: 'the record is not shaped as FHIR R4 says',
  'resource-type': 'only Patient, Encounter, Observation and Condition records are taken',
  names: 'a person’s name',
  telecom: 'a phone number, fax, e-mail or web address',
  identifiers: 'an identifier (record, plan, account, licence or any other number)',
  attachments: 'an attachment, a photo or a signature',
  'ids-not-pseudonymous': 'an id or reference that is not a 64-digit hexadecimal pseudonym',
  'reference-display': 'the text shown for a reference',
  'address-below-district': 'an address finer than the district (a line, town or written address)',
  'postal-code': 'a postal code other than three digits',
  coordinates: 'a position',
  'birth-date': 'a date of birth finer than the year, or a year of birth showing an age over 89',
  'dates-finer-than-month': 'a date finer than the month',
  'age-over-89': 'an age over 89 not given as 90 or more',
  'extension-text': 'text held in an extension',
  'free-text-phone-or-number': 'a phone number or a long number in text',
  'free-text-email': 'an e-mail address in text',
  'free-text-url': 'a web address in text',
  'free-text-ip': 'an IP address in text',
  'free-text-date': 'a written date in text',
  'free-text-coordinates': 'coordinates in text',
} as const;
export type PhiRule = keyof typeof phiRules;

const acceptedTypes = new Set(['Patient', 'Encounter', 'Observation', 'Condition']);
const forbiddenTypes: Partial<Record<string, PhiRule>> = { HumanName: 'names', ContactPoint: 'telecom', Identifier: 'identifiers', Attachment: 'attachments', Signature: 'attachments' };
const pseudonym = /^[0-9a-f]{64}$/;
const pseudonymReference = /^(?:[A-Z][A-Za-z]+\/[0-9a-f]{64}|urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Shapes in text, each its own rule. Written here, not shared with the scrubbing: a check that shares the scrubber's blind spots checks nothing. */
const textShapes: [PhiRule, RegExp][] = [
  ['free-text-email', /[^\s@]+@[^\s@]+\.[a-z]{2,}/i],
  ['free-text-url', /\b(?:https?|ftp):\/\/|\bwww\.[a-z0-9-]+\./i],
  ['free-text-ip', /\b\d{1,3}(?:\.\d{1,3}){3}\b/],
  ['free-text-coordinates', /-?\b\d{1,3}\.\d{4,}\s*[,;]\s*-?\d{1,3}\.\d{4,}\b/],
  ['free-text-date', /\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|janv|févr|avr|mai|juin|juil|août|déc)[a-zé]*\.?\s+\d{2,4}\b/i],
  ['free-text-phone-or-number', /\d(?:[\s\-./()]{0,2}\d){6,}/],
];

const monthOrCoarser = /^\d{4}(?:-\d{2})?$/;
const instantOfMonth = /^\d{4}-\d{2}-01T00:00:00(?:\.0+)?(?:Z|\+00:00)$/;
const textTypes = new Set(['string', 'markdown', 'xhtml']);

function ageOver89(age: Record<string, unknown>): boolean {
  const per: Record<string, number> = { a: 1, mo: 12, wk: 52, d: 365 };
  const years = typeof age['value'] === 'number' ? age['value'] / (per[typeof age['code'] === 'string' ? age['code'] : 'a'] ?? 1) : 0;
  return years > 89 && age['comparator'] !== '>=';
}

/** The first finding in a submitted Bundle (or record), or undefined when it holds none. */
export function scanForPhi(submission: unknown, now = new Date()): PhiFinding | undefined {
  let finding: PhiFinding | undefined;
  const found = (rule: PhiRule, path: string) => {
    finding ??= { rule, path };
  };
  const shape = walkR4(submission, (value, type, modelPath, path) => {
    if (finding !== undefined) return;
    const key = modelPath.slice(modelPath.lastIndexOf('.') + 1);
    const rule = forbiddenTypes[type];
    if (rule !== undefined) return found(rule, path);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const object = value as Record<string, unknown>;
      if (typeof object['resourceType'] === 'string' && object['resourceType'] !== 'Bundle' && !acceptedTypes.has(object['resourceType'])) return found('resource-type', path);
      if (type === 'Address' && ['line', 'city', 'text'].some((field) => field in object)) return found('address-below-district', path);
      if (type === 'Address' && typeof object['postalCode'] === 'string' && !/^\d{3}$/.test(object['postalCode'])) return found('postal-code', `${path}.postalCode`);
      if (type === 'Age' && ageOver89(object)) return found('age-over-89', path);
      if (modelPath === 'Location.position') return found('coordinates', path);
      if (type === 'Reference' && 'display' in object && object['display'] !== redactedMarker) return found('reference-display', `${path}.display`);
      if (type === 'Extension' && Object.keys(object).some((field) => /^value(?:String|Markdown)$/.test(field))) return found('extension-text', path);
      return;
    }
    if (typeof value !== 'string') return;
    // Ids and references are pseudonyms or refused; either way their hex digits are not text.
    if (key === 'id' && modelPath.split('.').length === 2) return pseudonym.test(value) ? undefined : found('ids-not-pseudonymous', path);
    if (modelPath === 'Reference.reference' || modelPath === 'Bundle.entry.fullUrl') return pseudonymReference.test(value) ? undefined : found('ids-not-pseudonymous', path);
    if (modelPath === 'Patient.birthDate') return /^\d{4}$/.test(value) && now.getUTCFullYear() - Number(value) < 90 ? undefined : found('birth-date', path);
    if ((type === 'date' || type === 'dateTime') && !monthOrCoarser.test(value)) return found('dates-finer-than-month', path);
    if (type === 'instant' && !instantOfMonth.test(value)) return found('dates-finer-than-month', path);
    if (textTypes.has(type)) {
      const text = type === 'xhtml' ? value.replace(/<[^>]*>/g, ' ') : value;
      for (const [shapeRule, shape] of textShapes) if (shape.test(text)) return found(shapeRule, path);
    }
  });
  if (shape !== undefined) return { rule: 'shape', path: shape };
  return finding;
}
