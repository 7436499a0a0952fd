import type { AnonymizerParameters } from './anonymizer-config';
import type { NodePlace } from './fhir-nodes';

/**
 * What `redact` leaves of an element when the configuration allows a part of
 * it, as HIPAA Safe Harbor does and Microsoft's anonymizer's
 * `enablePartial…ForRedact` switches ask: a date's year (unless it shows an
 * age over 89; an instant becomes the first instant of its year), an age of 89 or under (over 89 becomes "90 or more"), and a
 * US ZIP code's first three digits (`000` where the three-digit area holds
 * 20,000 people or fewer). Anything else redacted goes whole.
 */

/**
 * Three-digit ZIP areas of 20,000 people or fewer: the 17 HHS listed from the
 * 2000 Census (67 FR 53182; HHS de-identification guidance, 2012) together
 * with those Microsoft's anonymizer sample lists from the 2010 Census. A
 * prefix on either list becomes 000: when lists disagree, the safer answer.
 */
export const restrictedZip3 = ['036', '059', '063', '102', '203', '205', '369', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893'] as const;

export interface PartialRedaction {
  dates: boolean;
  ages: boolean;
  zipCodes: boolean;
  restricted: ReadonlySet<string>;
  /** The year de-identification happens in: a year at least 90 before it shows an age over 89. */
  currentYear: number;
}

export function partialRedactionOf(parameters: AnonymizerParameters, now: Date): PartialRedaction {
  return {
    dates: parameters.enablePartialDatesForRedact === true,
    ages: parameters.enablePartialAgesForRedact === true,
    zipCodes: parameters.enablePartialZipCodesForRedact === true,
    restricted: new Set(parameters.restrictedZipCodeTabulationAreas ?? restrictedZip3),
    currentYear: now.getUTCFullYear(),
  };
}

/** Years in an Age quantity, by its UCUM unit; undefined when the unit is not one of time. */
const yearsPer: Record<string, number> = { a: 1, mo: 1 / 12, wk: 7 / 365.25, d: 1 / 365.25, h: 1 / 8766, min: 1 / 525_960 };

function ageInYears(age: Record<string, unknown>): number | undefined {
  const unit = typeof age['code'] === 'string' ? age['code'] : age['unit'];
  const per = typeof unit === 'string' ? yearsPer[unit] : undefined;
  return typeof age['value'] === 'number' && per !== undefined ? age['value'] * per : undefined;
}

/** A US ZIP code (12345 or 12345-6789) as its first three digits, or 000; any other postal code has no safe part. */
export function zip3Of(postalCode: string, restricted: ReadonlySet<string>): string | undefined {
  const match = /^(\d{3})\d{2}(?:-?\d{4})?$/.exec(postalCode.trim());
  if (match === null) return undefined;
  return restricted.has(match[1]!) ? '000' : match[1];
}

/** Whether an address's country is the United States (ZIP3 is a US notion; another country's postal code has no safe part). */
export function isUsCountry(country: string): boolean {
  return /^(?:us|usa|united states(?: of america)?)$/i.test(country.trim());
}

/** A year that shows its holder may be over 89: at least 90 years ago. */
export function yearRevealsAgeOver89(year: number, currentYear: number): boolean {
  return currentYear - year >= 90;
}

/**
 * What may stay of the element `redact` selected: the value to put in its
 * place, or undefined when nothing may.
 */
export function partiallyRedacted(place: NodePlace, partial: PartialRedaction): unknown {
  const value = place.value;
  if (partial.dates && typeof value === 'string' && (place.type === 'date' || place.type === 'dateTime' || place.type === 'instant')) {
    const year = /^\d{4}/.exec(value)?.[0];
    if (year === undefined || yearRevealsAgeOver89(Number(year), partial.currentYear)) return undefined;
    // An instant must be a full timestamp in FHIR (an AuditEvent cannot lack one): the first instant of its year says no more.
    return place.type === 'instant' ? `${year}-01-01T00:00:00Z` : year;
  }
  if (partial.ages && place.type === 'Age' && typeof value === 'object' && value !== null) {
    const years = ageInYears(value as Record<string, unknown>);
    if (years === undefined) return undefined;
    if (years <= 89) return value;
    return { value: 90, comparator: '>=', unit: 'a', system: 'http://unitsofmeasure.org', code: 'a' };
  }
  if (partial.zipCodes && place.key === 'postalCode' && typeof value === 'string') {
    // Another country's postal code has no safe part, however it looks.
    const country = place.parent['country'];
    if (typeof country === 'string' && !isUsCountry(country)) return undefined;
    return zip3Of(value, partial.restricted);
  }
  return undefined;
}

