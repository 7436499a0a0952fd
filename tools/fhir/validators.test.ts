import { beforeAll, describe, expect, it } from 'vitest';
import { calendarProblem } from './validators-values';
import { fhirErrors, loadFhirValidators, validateFhir, type FhirProblem } from './validators';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const vitalSigns = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }];
const profile = (name: string) => ({ profile: [`http://hl7.org/fhir/StructureDefinition/${name}`] });

const patient = {
  resourceType: 'Patient',
  id: 'patient-1',
  identifier: [{ system: 'urn:clinic-workstation:clinic:c1:clinic-number', value: 'K-000123' }],
  name: [{ family: 'Banda', given: ['Chisomo'] }],
  gender: 'female',
  birthDate: '1988-04-12',
  telecom: [{ system: 'phone', value: '+265 991 234 567' }],
  address: [{ city: 'Chikwawa', district: 'Chikwawa' }],
};

const spo2 = {
  resourceType: 'Observation',
  id: 'observation-1',
  meta: profile('oxygensat'),
  status: 'final',
  category: vitalSigns,
  code: {
    coding: [
      { system: LOINC, code: '2708-6', display: 'Oxygen saturation in Arterial blood' },
      { system: LOINC, code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
    ],
    text: 'SpO2',
  },
  subject: { reference: 'Patient/patient-1' },
  effectiveDateTime: '2025-03-14T09:30:00Z',
  valueQuantity: { value: 97, unit: '%', system: UCUM, code: '%' },
};

const mmHg = (value: number) => ({ value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });
const bloodPressure = {
  resourceType: 'Observation',
  meta: profile('bp'),
  status: 'final',
  category: vitalSigns,
  code: { coding: [{ system: LOINC, code: '85354-9', display: 'Blood pressure panel with all children optional' }] },
  subject: { reference: 'Patient/patient-1' },
  effectiveDateTime: '2025-03-14T09:31:00Z',
  component: [
    { code: { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }] }, valueQuantity: mmHg(128) },
    { code: { coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }] }, valueQuantity: mmHg(82) },
  ],
};

/** Pulse rate by oximetry: a vital sign with no profile of its own, so only the base vital-signs profile applies. */
const pulse = {
  resourceType: 'Observation',
  status: 'final',
  category: vitalSigns,
  code: { coding: [{ system: LOINC, code: '8889-8', display: 'Heart rate by Pulse oximetry' }] },
  subject: { reference: 'Patient/patient-1' },
  effectiveDateTime: '2025-03-14T09:30:00Z',
  valueQuantity: { value: 72, unit: '/min', system: UCUM, code: '/min' },
};

const without = <T extends object, K extends keyof T>(resource: T, key: K): Omit<T, K> => {
  const copy: Partial<T> = { ...resource };
  delete copy[key];
  return copy as Omit<T, K>;
};

const from = (validator: string) => (problem: FhirProblem) => problem.validator === validator;

beforeAll(() => {
  // Both validators' definitions, once for the file: 2.2 to 3.2 s on our
  // 2-core build machine while busy (Medplum's R4 definitions almost all of
  // it, the fhir package 0.1 s); then about 8 ms a profiled Observation.
  loadFhirValidators();
}, 30_000);

describe('validateFhir', () => {
  it('passes a plain Patient and a profiled SpO2 Observation without errors', () => {
    expect(fhirErrors(patient)).toEqual([]);
    expect(fhirErrors(spo2)).toEqual([]);
    expect(fhirErrors(bloodPressure)).toEqual([]);
    expect(fhirErrors(pulse)).toEqual([]);
  });

  it('holds a vital sign to its profile: no subject', () => {
    const errors = fhirErrors(without(spo2, 'subject'));
    // Base R4 allows an Observation without a subject; the vital-signs profiles do not.
    expect(errors).toContainEqual(expect.objectContaining({ path: 'Observation.subject', validator: 'profile:oxygensat' }));
    expect(errors.filter(from('medplum'))).toEqual([]);
  });

  it('holds a vital sign to the profile of its LOINC code even when it claims none', () => {
    const errors = fhirErrors(without(without(spo2, 'meta'), 'subject'));
    expect(errors).toContainEqual(expect.objectContaining({ path: 'Observation.subject', validator: 'profile:oxygensat' }));
  });

  it('refuses SpO2 under the oxygensat profile without LOINC 2708-6', () => {
    const only59408 = { ...spo2, code: { coding: [spo2.code.coding[1]], text: 'SpO2' } };
    expect(fhirErrors(only59408)).toEqual([
      expect.objectContaining({ path: 'Observation.code.coding', message: expect.stringContaining('OxygenSatCode') as unknown, validator: 'profile:oxygensat' }),
    ]);
  });

  it('refuses a blood pressure panel with a value of its own', () => {
    expect(fhirErrors({ ...bloodPressure, valueQuantity: mmHg(128) })).toEqual([
      expect.objectContaining({ path: 'Observation.value[x]', message: expect.stringContaining('valueQuantity') as unknown, validator: 'profile:bp' }),
    ]);
  });

  it('holds a vital sign’s quantity to its profile’s unit, which Medplum leaves unchecked', () => {
    const perMinute = { ...spo2, valueQuantity: { value: 97, unit: '/min', system: UCUM, code: '/min' } };
    expect(fhirErrors(perMinute)).toEqual([
      { severity: 'error', path: 'Observation.valueQuantity.code', message: '“/min” where the profile requires “%”', validator: 'profile:oxygensat' },
    ]);
    const diastolicWithoutUnit = { ...bloodPressure, component: [bloodPressure.component[0], { ...bloodPressure.component[1], valueQuantity: without(mmHg(82), 'unit') }] };
    expect(fhirErrors(diastolicWithoutUnit)).toEqual([
      { severity: 'error', path: 'Observation.component[1].valueQuantity.unit', message: 'Missing: the profile requires it', validator: 'profile:bp' },
    ]);
  });

  it('refuses a blood pressure panel without its diastolic component', () => {
    const errors = fhirErrors({ ...bloodPressure, component: [bloodPressure.component[0]] });
    expect(errors).toContainEqual(expect.objectContaining({ message: expect.stringContaining('DiastolicBP') as unknown, validator: 'profile:bp' }));
  });

  it('refuses a status that is not a FHIR code', () => {
    expect(fhirErrors({ ...spo2, status: 'finall' })).toContainEqual(expect.objectContaining({ path: 'Observation.status', validator: 'fhir' }));
  });

  it('refuses a property FHIR does not have', () => {
    expect(fhirErrors({ ...patient, nickname: 'Chi' })).toContainEqual(expect.objectContaining({ path: 'Patient.nickname', validator: 'fhir' }));
  });

  it('refuses a unit code that is not UCUM, which only our check sees', () => {
    const bpm = { ...pulse, valueQuantity: { value: 72, unit: 'bpm', system: UCUM, code: 'bpm' } };
    expect(fhirErrors(bpm)).toEqual([
      { severity: 'error', path: 'Observation.valueQuantity.code', message: '“bpm” is not a UCUM unit code (the system says UCUM)', validator: 'ucum' },
    ]);
  });

  it('checks UCUM codes inside components too', () => {
    const mmHgAsCode = { ...bloodPressure, component: [bloodPressure.component[0], { ...bloodPressure.component[1], valueQuantity: { ...mmHg(82), code: 'mmHg' } }] };
    expect(fhirErrors(mmHgAsCode).filter(from('ucum'))).toEqual([
      expect.objectContaining({ path: 'Observation.component[1].valueQuantity.code' }),
    ]);
  });

  it('refuses a birth date the calendar does not have, which only our check sees', () => {
    expect(fhirErrors({ ...patient, birthDate: '2025-02-30' })).toEqual([
      { severity: 'error', path: 'Patient.birthDate', message: '“2025-02-30” is not a calendar date: February 2025 has 28 days', validator: 'dates' },
    ]);
  });

  it('checks the values in a primitive’s extensions (an estimated age on the birth date)', () => {
    const estimated = (code: string) => ({
      ...patient,
      birthDate: '1985',
      _birthDate: { extension: [{ url: 'https://example.org/fhir/StructureDefinition/estimated-age', valueAge: { value: 40, unit: 'years', system: UCUM, code } }] },
    });
    expect(fhirErrors(estimated('a'))).toEqual([]);
    expect(fhirErrors(estimated('years')).filter(from('ucum'))).toEqual([
      expect.objectContaining({ path: 'Patient.birthDate.extension[0].valueAge.code' }),
    ]);
  });

  it('refuses an impossible time of a reading', () => {
    expect(fhirErrors({ ...spo2, effectiveDateTime: '2025-13-99T09:30:00Z' }).filter(from('dates'))).toEqual([
      expect.objectContaining({ path: 'Observation.effectiveDateTime', message: '“2025-13-99T09:30:00Z” has no month 13' }),
    ]);
  });

  it('warns, without failing, about a profile it does not have', () => {
    const claimed = { ...patient, meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'] } };
    expect(fhirErrors(claimed)).toEqual([]);
    expect(validateFhir(claimed)).toContainEqual(expect.objectContaining({ severity: 'warning', validator: 'profile:us-core-patient' }));
  });

  it('refuses what is not a resource at all', () => {
    for (const notAResource of [null, 'Patient', [patient], { id: 'x' }]) expect(fhirErrors(notAResource)).not.toEqual([]);
  });
});

describe('calendarProblem', () => {
  it.each(['2024', '2024-02', '2024-02-29', '2000-02-29', '2025-12-31T23:59:60Z', '2025-06-01T08:00:00+14:00', '2025-06-01T08:00:00.123456789-03:30'])('accepts %s', (text) => {
    expect(calendarProblem(text)).toBeUndefined();
  });

  it.each([
    ['2025-02-29', 'is not a calendar date: February 2025 has 28 days'],
    ['1900-02-29', 'is not a calendar date: February 1900 has 28 days'],
    ['2025-04-31', 'is not a calendar date: April 2025 has 30 days'],
    ['2025-13-99', 'has no month 13'],
    ['2025-00', 'has no month 00'],
    ['2025-06-01T24:00:00Z', 'has no hour 24'],
    ['2025-06-01T08:00:00', 'has a time of day but no time zone'],
  ])('refuses %s: it %s', (text, problem) => {
    expect(calendarProblem(text)).toBe(problem);
  });
});
