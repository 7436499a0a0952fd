import type { TFunction } from 'i18next';
import { ageOn } from '../../../app/patients/patient';
import type { PatientSearchEntry } from '../../../app/search/search-entry';

/**
 * How a patient's age reads in lists and the chart header: "about 70 years"
 * for an estimate (never a birth year worked out from it, which would look
 * exact), "Born 1956" from a known date of birth.
 */
export function entryAgeText(t: TFunction, entry: Pick<PatientSearchEntry, 'birthYear' | 'estimatedAge'>, now: Date): string | undefined {
  if (entry.estimatedAge !== undefined) {
    const { years } = ageOn({ estimatedAgeYears: entry.estimatedAge.years, createdAt: entry.estimatedAge.registeredAt }, now);
    return t('patients.ageEstimated', { years });
  }
  return entry.birthYear === undefined ? undefined : t('patients.born', { year: entry.birthYear });
}
