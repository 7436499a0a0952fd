import type { Patient } from '../patients/patient';
import type { PatientSearchEntry } from './search-entry';

/**
 * The search entry for a stored patient. With only an estimated age, the
 * entry keeps that estimate and when it was made, never a birth year made up
 * from it: lists show "about 70 years", as the chart does.
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
    entry.estimatedAge = { years: patient.estimatedAgeYears, registeredAt: patient.createdAt };
  }
  return entry;
}
