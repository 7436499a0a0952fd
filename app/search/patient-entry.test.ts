import { describe, expect, it } from 'vitest';
import { generateClinicNumber } from '../patients/clinic-number';
import type { Patient } from '../patients/patient';
import { toPatientSearchEntry } from './patient-entry';

const patient: Patient = {
  id: 'p1',
  clinicNumber: generateClinicNumber(() => new Uint8Array(5)),
  givenNames: 'Amina',
  familyName: 'Diallo',
  sex: 'female',
  birthDate: '1990-05-17',
  phone: '+255712345678',
  village: 'Kindia',
  address: 'Quartier Almamya',
  nationalId: 'GN-12345678',
  createdAt: '2024-03-01T10:00:00.000Z',
  updatedAt: '2024-03-01T10:00:00.000Z',
};

describe('toPatientSearchEntry', () => {
  it('keeps the searchable fields and the birth year, and nothing else', () => {
    expect(toPatientSearchEntry(patient)).toEqual({
      id: 'p1',
      clinicNumber: patient.clinicNumber,
      givenNames: 'Amina',
      familyName: 'Diallo',
      sex: 'female',
      phone: '+255712345678',
      village: 'Kindia',
      nationalId: 'GN-12345678',
      birthYear: 1990,
    });
  });

  it('keeps an estimated age as an estimate with its date, never as a made-up birth year', () => {
    const estimated: Patient = {
      ...patient,
      birthDate: undefined,
      phone: undefined,
      village: undefined,
      nationalId: undefined,
      estimatedAgeYears: 40,
      createdAt: '2024-06-01T12:00:00.000Z',
    };
    expect(toPatientSearchEntry(estimated)).toEqual({
      id: 'p1',
      clinicNumber: patient.clinicNumber,
      givenNames: 'Amina',
      familyName: 'Diallo',
      sex: 'female',
      estimatedAge: { years: 40, registeredAt: '2024-06-01T12:00:00.000Z' },
    });
  });
});
