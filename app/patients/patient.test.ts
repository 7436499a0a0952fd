import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { generateClinicNumber } from './clinic-number';
import { ageOn, fieldErrors, patientInputSchema, patientSchema, sexes, type PatientInput } from './patient';
import { patientValidationKeys as keys } from './validation-keys';

const valid = { givenNames: 'Amina', familyName: 'Diallo', sex: 'female', birthDate: '1990-05-17' } as const;

function errorsFor(input: Record<string, unknown>): Partial<Record<keyof PatientInput, string>> {
  const result = patientInputSchema.safeParse(input);
  if (result.success) throw new Error('expected the input to be rejected');
  return fieldErrors(result.error);
}

function omit<T extends object, K extends keyof T>(value: T, ...drop: K[]): Omit<T, K> {
  const copy: Partial<T> = { ...value };
  for (const key of drop) delete copy[key];
  return copy as Omit<T, K>;
}

function parse(input: Record<string, unknown>): PatientInput {
  return patientInputSchema.parse(input);
}

beforeEach(() => {
  // Local noon, so "today" is the same calendar day in any time zone the tests run in.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(2025, 5, 15, 12, 0, 0));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('patientInputSchema: names', () => {
  it('trims names, collapses inner spaces and stores one Unicode form', () => {
    const parsed = parse({ ...valid, givenNames: '  Marie   Claire ', familyName: 'Lefe\u0300vre' });
    expect(parsed.givenNames).toBe('Marie Claire');
    expect(parsed.familyName).toBe('Lef\u00e8vre');
  });

  it.each([
    ['givenNames', keys.givenNamesRequired, keys.givenNamesTooLong],
    ['familyName', keys.familyNameRequired, keys.familyNameTooLong],
  ] as const)('%s is required, 1 to 100 characters', (field, required, tooLong) => {
    expect(errorsFor(omit(valid, field))[field]).toBe(required);
    expect(errorsFor({ ...valid, [field]: '' })[field]).toBe(required);
    expect(errorsFor({ ...valid, [field]: '   ' })[field]).toBe(required);
    expect(errorsFor({ ...valid, [field]: 42 })[field]).toBe(required);
    expect(errorsFor({ ...valid, [field]: 'a'.repeat(101) })[field]).toBe(tooLong);
    expect(parse({ ...valid, [field]: 'a'.repeat(100) })[field]).toHaveLength(100);
    expect(parse({ ...valid, [field]: ` ${'a'.repeat(100)} ` })[field]).toHaveLength(100);
  });
});

describe('patientInputSchema: sex', () => {
  it.each(sexes)('accepts %s', (sex) => {
    expect(parse({ ...valid, sex }).sex).toBe(sex);
  });

  it('requires one of the listed values', () => {
    expect(errorsFor(omit(valid, 'sex')).sex).toBe(keys.sexRequired);
    expect(errorsFor({ ...valid, sex: '' }).sex).toBe(keys.sexRequired);
    expect(errorsFor({ ...valid, sex: 'F' }).sex).toBe(keys.sexRequired);
  });
});

describe('patientInputSchema: date of birth or estimated age', () => {
  const noDate = omit(valid, 'birthDate');

  it('accepts real calendar dates from 1900-01-01 to today', () => {
    for (const date of ['1900-01-01', '2024-02-29', '2000-02-29', '1990-12-31', '2025-06-15']) {
      expect(parse({ ...valid, birthDate: date }).birthDate).toBe(date);
    }
    expect(parse({ ...valid, birthDate: ' 1990-05-17 ' }).birthDate).toBe('1990-05-17');
  });

  it('rejects text that is not a YYYY-MM-DD calendar date', () => {
    for (const date of ['1990-5-17', '17/05/1990', '1990-05-17T00:00:00Z', '19900517', '2023-02-29', '1900-02-29', '2021-04-31', '1990-13-01', '1990-00-10', '1990-01-00', 19900517]) {
      expect(errorsFor({ ...valid, birthDate: date }).birthDate, String(date)).toBe(keys.birthDateInvalid);
    }
  });

  it('rejects dates before 1900 and after today', () => {
    expect(errorsFor({ ...valid, birthDate: '1899-12-31' }).birthDate).toBe(keys.birthDateTooEarly);
    expect(errorsFor({ ...valid, birthDate: '2025-06-16' }).birthDate).toBe(keys.birthDateInFuture);
    expect(errorsFor({ ...valid, birthDate: '2030-01-01' }).birthDate).toBe(keys.birthDateInFuture);
  });

  it('takes "today" from the local calendar, not UTC', () => {
    const zone = process.env.TZ;
    try {
      // UTC+3 all year: 21:30 UTC on 15 June is already 00:30 on 16 June at the clinic.
      process.env.TZ = 'Africa/Nairobi';
      vi.setSystemTime(new Date('2025-06-15T21:30:00Z'));
      expect(parse({ ...valid, birthDate: '2025-06-16' }).birthDate).toBe('2025-06-16');
      expect(errorsFor({ ...valid, birthDate: '2025-06-17' }).birthDate).toBe(keys.birthDateInFuture);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('accepts an estimated age in whole years from 0 to 130, typed as a number or as digits', () => {
    expect(parse({ ...noDate, estimatedAgeYears: 0 }).estimatedAgeYears).toBe(0);
    expect(parse({ ...noDate, estimatedAgeYears: 130 }).estimatedAgeYears).toBe(130);
    expect(parse({ ...noDate, estimatedAgeYears: ' 42 ' }).estimatedAgeYears).toBe(42);
    for (const age of [-1, 131, 2.5, Number.NaN, Number.POSITIVE_INFINITY, 'forty', '4 2', '1e2', true]) {
      expect(errorsFor({ ...noDate, estimatedAgeYears: age }).estimatedAgeYears, String(age)).toBe(keys.estimatedAgeInvalid);
    }
  });

  it('requires one of the two, on the date of birth field', () => {
    expect(errorsFor(noDate).birthDate).toBe(keys.birthDateOrAge);
    expect(errorsFor({ ...noDate, birthDate: '', estimatedAgeYears: '' }).birthDate).toBe(keys.birthDateOrAge);
  });

  it('refuses both at once', () => {
    expect(errorsFor({ ...valid, estimatedAgeYears: 35 }).birthDate).toBe(keys.birthDateAndAge);
  });

  it('treats an empty field as not given', () => {
    const parsed = parse({ ...noDate, birthDate: '  ', estimatedAgeYears: 35 });
    expect(parsed.birthDate).toBeUndefined();
    expect(parse({ ...valid, estimatedAgeYears: '' }).estimatedAgeYears).toBeUndefined();
  });

  it('reports a bad date rather than the pair rule when only the date was given', () => {
    expect(errorsFor({ ...valid, birthDate: '2023-02-29' })).toEqual({ birthDate: keys.birthDateInvalid });
  });
});

describe('patientInputSchema: phone', () => {
  it('stores digits only, keeping a leading +', () => {
    expect(parse({ ...valid, phone: '+255 (712) 345-678' }).phone).toBe('+255712345678');
    expect(parse({ ...valid, phone: '0712-345 678' }).phone).toBe('0712345678');
    expect(parse({ ...valid, phone: ' 1234567 ' }).phone).toBe('1234567');
    expect(parse({ ...valid, phone: '+123456789012345' }).phone).toBe('+123456789012345');
  });

  it('needs 7 to 15 digits and nothing but digits, spaces, dashes, parentheses and a leading +', () => {
    for (const phone of ['123456', '1234567890123456', '0712 345 67a', '0712.345.678', '0712+345678', '++255712345678', '+', '()-', 712345678]) {
      expect(errorsFor({ ...valid, phone }).phone, String(phone)).toBe(keys.phoneInvalid);
    }
  });

  it('treats an empty phone as not given', () => {
    expect(parse({ ...valid, phone: '' }).phone).toBeUndefined();
    expect(parse({ ...valid, phone: '   ' }).phone).toBeUndefined();
    expect(parse(valid).phone).toBeUndefined();
  });
});

describe('patientInputSchema: village, address, national ID', () => {
  it('limits village to 200 and address to 300 characters', () => {
    expect(parse({ ...valid, village: 'v'.repeat(200), address: 'a'.repeat(300) })).toMatchObject({ village: 'v'.repeat(200), address: 'a'.repeat(300) });
    expect(errorsFor({ ...valid, village: 'v'.repeat(201) }).village).toBe(keys.villageTooLong);
    expect(errorsFor({ ...valid, address: 'a'.repeat(301) }).address).toBe(keys.addressTooLong);
  });

  it('allows letters, digits, dashes and spaces in a national ID of up to 40 characters', () => {
    expect(parse({ ...valid, nationalId: ' GN-1234 5678 ' }).nationalId).toBe('GN-1234 5678');
    expect(parse({ ...valid, nationalId: 'ÉÇ٣456' }).nationalId).toBe('ÉÇ٣456');
    expect(parse({ ...valid, nationalId: 'X'.repeat(40) }).nationalId).toHaveLength(40);
    expect(errorsFor({ ...valid, nationalId: 'X'.repeat(41) }).nationalId).toBe(keys.nationalIdTooLong);
    for (const nationalId of ['GN_1234', '#1234', '12,34', '/', ' - . ']) {
      expect(errorsFor({ ...valid, nationalId }).nationalId, nationalId).toBe(keys.nationalIdInvalid);
    }
  });

  it('keeps a national ID with slashes, dots and dashes as typed (Zambia NRC, and others)', () => {
    expect(parse({ ...valid, nationalId: ' 123456/78/1 ' }).nationalId).toBe('123456/78/1');
    expect(parse({ ...valid, nationalId: 'GN.1234-56 78' }).nationalId).toBe('GN.1234-56 78');
  });

  it('treats empty optional fields as not given', () => {
    const parsed = parse({ ...valid, village: '', address: ' ', nationalId: '' });
    expect(parsed.village).toBeUndefined();
    expect(parsed.address).toBeUndefined();
    expect(parsed.nationalId).toBeUndefined();
  });
});

describe('fieldErrors and messages', () => {
  const allKeys = new Set<string>(Object.values(keys));

  it('gives the first problem of each field, by field', () => {
    const errors = errorsFor({ givenNames: '', familyName: 'x'.repeat(101), sex: 'x', birthDate: '1899-01-01', phone: '12', village: 'v'.repeat(201) });
    expect(errors).toEqual({
      givenNames: keys.givenNamesRequired,
      familyName: keys.familyNameTooLong,
      sex: keys.sexRequired,
      birthDate: keys.birthDateTooEarly,
      phone: keys.phoneInvalid,
      village: keys.villageTooLong,
    });
  });

  it('marks every required field of an empty form, the date of birth (or age) included', () => {
    const empty = { givenNames: '', familyName: '', birthDate: '', phone: '', village: '', address: '', nationalId: '' };
    expect(errorsFor(empty)).toEqual({
      givenNames: keys.givenNamesRequired,
      familyName: keys.familyNameRequired,
      sex: keys.sexRequired,
      birthDate: keys.birthDateOrAge,
    });
    expect(errorsFor({ ...empty, birthDate: undefined, estimatedAgeYears: '' }).birthDate).toBe(keys.birthDateOrAge);
  });

  it('uses only validation.patient.* keys, including for input that is not an object', () => {
    for (const input of [null, 'Amina', 42, []]) {
      const result = patientInputSchema.safeParse(input);
      expect(result.success).toBe(false);
      for (const issue of result.error?.issues ?? []) expect(allKeys).toContain(issue.message);
    }
  });

  it('passes on only our own keys', () => {
    const foreign = { issues: [{ code: 'custom', path: ['phone'], message: 'Phone 0712345678 is bad', input: '0712345678' }] } as unknown as z.ZodError;
    expect(fieldErrors(foreign)).toEqual({ phone: keys.invalid });
  });

  it('never puts a submitted value into a message', () => {
    const values = {
      givenNames: 'Secretgivenname'.repeat(7),
      familyName: 'Secretfamilyname'.repeat(7),
      sex: 'Secretsex',
      birthDate: '2099-01-01',
      estimatedAgeYears: 'Secretage',
      phone: '+999 888 777 666 555 444',
      village: 'Secretvillage'.repeat(20),
      address: 'Secretaddress'.repeat(30),
      nationalId: 'Secret#national#id',
    };
    const result = patientInputSchema.safeParse(values);
    expect(result.success).toBe(false);
    const issues = result.error?.issues ?? [];
    expect(issues.length).toBeGreaterThanOrEqual(8);
    const reported = JSON.stringify(issues) + JSON.stringify(fieldErrors(result.error as z.ZodError));
    for (const value of Object.values(values)) expect(reported).not.toContain(value);
    expect(reported).not.toMatch(/secret|999|2099/i);
    for (const issue of issues) expect(allKeys).toContain(issue.message);
  });
});

describe('patientSchema (stored payloads)', () => {
  const clinicNumber = generateClinicNumber(() => Uint8Array.of(1, 2, 3, 4, 5));
  const stored = {
    ...valid,
    phone: '+255712345678',
    id: '0b6f7a3e-8c1d-4f7e-9a55-2f0c1f9b7a10',
    clinicNumber,
    createdAt: '2025-01-02T09:30:00.000Z',
    updatedAt: '2025-01-03T10:00:00+03:00',
  };

  it('accepts a stored patient and gives it back unchanged', () => {
    expect(patientSchema.parse(stored)).toEqual(stored);
    expect(patientSchema.parse(patientSchema.parse(stored))).toEqual(stored);
  });

  it('still reads a record whose date of birth is after this computer\'s today', () => {
    expect(patientSchema.parse({ ...stored, birthDate: '2026-01-01' }).birthDate).toBe('2026-01-01');
  });

  it('requires a valid clinic number in its canonical form', () => {
    const chars = clinicNumber.replace(/-/g, '');
    const wrongCheck = `${clinicNumber.slice(0, -1)}${chars.endsWith('0') ? '1' : '0'}`;
    for (const number of [wrongCheck, clinicNumber.toLowerCase(), chars, '']) {
      const result = patientSchema.safeParse({ ...stored, clinicNumber: number });
      expect(result.error?.issues.map((issue) => issue.message), number).toEqual([keys.clinicNumberInvalid]);
    }
  });

  it('requires an id and ISO timestamps', () => {
    for (const damaged of [{ id: '' }, { id: undefined }, { createdAt: '2025-01-02' }, { updatedAt: 'yesterday' }]) {
      const result = patientSchema.safeParse({ ...stored, ...damaged });
      expect(result.error?.issues.map((issue) => issue.message)).toEqual([keys.recordDamaged]);
    }
  });

  it('applies the same field rules as registration', () => {
    expect(patientSchema.safeParse(omit(stored, 'birthDate')).error?.issues.map((issue) => issue.message)).toEqual([keys.birthDateOrAge]);
    expect(patientSchema.safeParse({ ...stored, phone: '12' }).success).toBe(false);
  });
});

describe('ageOn', () => {
  it('counts whole years from the date of birth', () => {
    const patient = { birthDate: '1990-05-17' };
    expect(ageOn(patient, new Date(2025, 4, 16))).toEqual({ years: 34, estimated: false });
    expect(ageOn(patient, new Date(2025, 4, 17))).toEqual({ years: 35, estimated: false });
    expect(ageOn(patient, new Date(1990, 4, 17))).toEqual({ years: 0, estimated: false });
    expect(ageOn(patient, new Date(1980, 0, 1))).toEqual({ years: 0, estimated: false });
  });

  it('makes someone born on 29 February a year older on 1 March in common years', () => {
    const patient = { birthDate: '2000-02-29' };
    expect(ageOn(patient, new Date(2023, 1, 28)).years).toBe(22);
    expect(ageOn(patient, new Date(2023, 2, 1)).years).toBe(23);
    expect(ageOn(patient, new Date(2024, 1, 29)).years).toBe(24);
  });

  it('grows an estimated age with the years since registration', () => {
    const registered = new Date(2020, 2, 10, 9, 0).toISOString();
    expect(ageOn({ estimatedAgeYears: 30, createdAt: registered }, new Date(2025, 2, 9))).toEqual({ years: 34, estimated: true });
    expect(ageOn({ estimatedAgeYears: 30, createdAt: registered }, new Date(2025, 2, 10))).toEqual({ years: 35, estimated: true });
    expect(ageOn({ estimatedAgeYears: 30 }, new Date(2025, 2, 10))).toEqual({ years: 30, estimated: true });
  });

  it('refuses a patient with neither', () => {
    expect(() => ageOn({}, new Date())).toThrow();
  });
});
