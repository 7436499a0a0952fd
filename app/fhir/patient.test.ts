import { describe, expect, it } from 'vitest';
import { patientFhirIdOf, toFhirPatient, type PatientResource } from './patient';
import { clinicId, clinicNumber, patient, patientId } from './test-support';

const v2 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const clinicNumberSystem = `urn:clinic-workstation:clinic:${clinicId}:clinic-number`;
const organization = { reference: `Organization/${clinicId}` };

describe('toFhirPatient', () => {
  it('emits the clinic number in the clinic’s own system, the national ID, names, sex, birth date, phone and address', () => {
    expect(toFhirPatient(patient(), { clinicId, managingOrganization: organization })).toEqual({
      resourceType: 'Patient',
      id: patientId,
      extension: [{ url: 'urn:clinic-workstation:fhir:extension:registered-at', valueDateTime: '2025-06-01T08:00:00+02:00' }],
      identifier: [
        {
          use: 'usual',
          type: { coding: [{ system: v2, code: 'MR', display: 'Medical record number' }], text: 'Clinic number' },
          system: clinicNumberSystem,
          value: clinicNumber,
          assigner: organization,
        },
        {
          use: 'official',
          type: { coding: [{ system: v2, code: 'NI', display: 'National unique individual identifier' }], text: 'National ID' },
          value: '123456/78/1',
        },
        { use: 'secondary', system: 'urn:clinic-workstation:patient-id', value: patientId },
      ],
      name: [{ use: 'official', text: 'Mary Anne Banda', family: 'Banda', given: ['Mary', 'Anne'] }],
      telecom: [{ system: 'phone', value: '+260971234567' }],
      gender: 'female',
      birthDate: '1987-03-14',
      address: [{ use: 'home', line: ['Plot 12, near the borehole'], city: 'Chipata' }],
      managingOrganization: organization,
    } satisfies PatientResource);
  });

  it('gives two clinics’ clinic numbers two systems, since each clinic issues its own', () => {
    const other = toFhirPatient(patient(), { clinicId: 'clinic-other' });
    expect(other.identifier?.[0]?.system).toBe('urn:clinic-workstation:clinic:clinic-other:clinic-number');
    expect(other.identifier?.[0]?.system).not.toBe(clinicNumberSystem);
  });

  it('names the national ID’s system when the clinic knows it', () => {
    const fhir = toFhirPatient(patient(), { clinicId, nationalIdSystem: 'urn:oid:2.16.894.1.1' });
    expect(fhir.identifier?.[1]).toMatchObject({ system: 'urn:oid:2.16.894.1.1', value: '123456/78/1' });
  });

  it('gives an estimated age as the birth year with the estimate and when it was made on _birthDate', () => {
    const estimated = patient({ birthDate: undefined, estimatedAgeYears: 40, createdAt: '2025-01-01T00:30:00+02:00' });
    const fhir = toFhirPatient(estimated, { clinicId });
    // Registered in 2025 (the clinic's local date, though it was still 2024 in UTC), about 40: born 1985, give or take a year.
    expect(fhir.birthDate).toBe('1985');
    expect(fhir._birthDate).toEqual({
      extension: [
        {
          url: 'urn:clinic-workstation:fhir:extension:estimated-age',
          extension: [
            { url: 'age', valueAge: { value: 40, unit: 'years', system: 'http://unitsofmeasure.org', code: 'a' } },
            { url: 'estimatedAt', valueDateTime: '2025-01-01T00:30:00+02:00' },
          ],
        },
      ],
    });
  });

  it('has no _birthDate when the date of birth is known', () => {
    expect(toFhirPatient(patient(), { clinicId })).not.toHaveProperty('_birthDate');
  });

  it('leaves out what was not given', () => {
    const bare = patient({ phone: undefined, village: undefined, address: undefined, nationalId: undefined });
    const fhir = toFhirPatient(bare, { clinicId });
    for (const field of ['telecom', 'address', 'managingOrganization']) expect(fhir).not.toHaveProperty(field);
    expect(fhir.identifier?.map((identifier) => identifier.type?.text ?? identifier.system)).toEqual(['Clinic number', 'urn:clinic-workstation:patient-id']);
  });

  it('keeps just the village when there is no address line', () => {
    expect(toFhirPatient(patient({ address: undefined }), { clinicId }).address).toEqual([{ use: 'home', city: 'Chipata' }]);
  });

  it('maps each sex to the same administrative gender', () => {
    for (const sex of ['female', 'male', 'other', 'unknown'] as const) expect(toFhirPatient(patient({ sex }), { clinicId }).gender).toBe(sex);
  });

  it('uses a derived id, and keeps the store id as an identifier, when the store id is not a FHIR id', async () => {
    const long = patient({ id: `pat-${'x'.repeat(96)}` });
    expect(() => toFhirPatient(long, { clinicId })).toThrow(/not a valid FHIR id/);
    const id = await patientFhirIdOf(long);
    const fhir = toFhirPatient(long, { clinicId, id });
    expect(fhir.id).toMatch(/^pat-[0-9a-f]{32}$/);
    expect(fhir.identifier).toContainEqual({ use: 'secondary', system: 'urn:clinic-workstation:patient-id', value: long.id });
  });
});
