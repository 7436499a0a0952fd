import type { Patient } from '../patients/patient';

/** An age estimated at registration: it grows from `registeredAt` (see `ageOn`), and no birth year is made up from it. */
export interface EstimatedAge {
  years: number;
  /** The patient's `createdAt`. */
  registeredAt: string;
}

/** What the search index keeps about a patient: enough to find them and to tell namesakes apart. */
export type PatientSearchEntry = Pick<
  Patient,
  'id' | 'clinicNumber' | 'givenNames' | 'familyName' | 'sex' | 'nationalId' | 'phone' | 'village'
> & {
  /** From a known date of birth only. */
  birthYear?: number | undefined;
  estimatedAge?: EstimatedAge | undefined;
};

/**
 * A copy holding only the entry's own fields. A caller may pass a whole
 * Patient (it has all these fields); copying keeps its address and other
 * details out of the index and its snapshots, and keeps later edits to the
 * caller's object from silently desynchronising the index.
 */
export function pickSearchEntry(entry: PatientSearchEntry): PatientSearchEntry {
  const picked: PatientSearchEntry = {
    id: entry.id,
    clinicNumber: entry.clinicNumber,
    givenNames: entry.givenNames,
    familyName: entry.familyName,
    sex: entry.sex,
  };
  if (entry.nationalId !== undefined) picked.nationalId = entry.nationalId;
  if (entry.phone !== undefined) picked.phone = entry.phone;
  if (entry.village !== undefined) picked.village = entry.village;
  if (entry.birthYear !== undefined) picked.birthYear = entry.birthYear;
  if (entry.estimatedAge !== undefined) picked.estimatedAge = { years: entry.estimatedAge.years, registeredAt: entry.estimatedAge.registeredAt };
  return picked;
}
