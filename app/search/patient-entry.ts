import type { Patient } from '../patients/patient';
import type { PatientSearchEntry } from './search-entry';

/**
 * The search entry for a stored patient. With only an estimated age, the
 * birth year is the registration year minus that age, which is what the
 * clinic would write on a card.
 */
export function toPatientSearchEntry(patient: Patient): PatientSearchEntry {
  const entry: PatientSearchEntry = {
    id: patient.id,
    clinicNumber: patient.clinicNumber,
    givenNames: patient.givenNames,
    familyName: patient.familyName,
    sex: patient.sex,
  };
  if (patient.nationalId !== undefined) entry.nationalId = patient.nationalId;
  if (patient.phone !== undefined) entry.phone = patient.phone;
  if (patient.village !== undefined) entry.village = patient.village;
  if (patient.birthDate !== undefined) entry.birthYear = Number(patient.birthDate.slice(0, 4));
  else if (patient.estimatedAgeYears !== undefined) {
    entry.birthYear = new Date(patient.createdAt).getFullYear() - patient.estimatedAgeYears;
  }
  return entry;
}
