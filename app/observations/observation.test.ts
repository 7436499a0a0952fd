import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vitalKinds, vitals, type VitalKind } from '../terminology/vitals';
import {
  acvpuLabelKeys,
  consciousnessCode,
  manualEntryFieldErrors,
  manualEntrySchema,
  observationKinds,
  observationSchema,
  observationsFromManualEntry,
  unitDisplay,
  validationProblems,
  type ManualEntry,
  type ValidationProblem,
} from './observation';
import { observationValidationKeyList, observationValidationKeys as keys } from './validation-keys';

const at = '2025-06-15T09:30:00+02:00';
const device = { driver: 'cms50d', manufacturer: 'Contec', model: 'CMS50D+', serial: 'SN123' } as const;

function vital(kind: VitalKind, value: number, extra: Record<string, unknown> = {}) {
  return {
    id: `obs-${kind}`,
    patientId: 'patient-1',
    kind,
    code: vitals[kind].loinc,
    value,
    unit: vitals[kind].unit,
    effectiveAt: at,
    recordedAt: at,
    recordedBy: 'nurse-7',
    source: { type: 'manual' },
    ...extra,
  };
}

const consciousness = {
  id: 'obs-c',
  patientId: 'patient-1',
  kind: 'consciousness',
  code: '67775-7',
  value: 'A',
  effectiveAt: at,
  recordedAt: at,
  recordedBy: 'nurse-7',
  source: { type: 'manual' },
};

function midpoint(kind: VitalKind): number {
  const [low, high] = vitals[kind].plausible;
  return Math.round((low + high) / 2);
}

function problems(input: unknown): ValidationProblem[] {
  const result = observationSchema.safeParse(input);
  if (result.success) throw new Error('expected the observation to be refused');
  return validationProblems(result.error);
}

describe('observationSchema', () => {
  it.each(vitalKinds)('accepts a manual %s observation in its table unit and code', (kind) => {
    const parsed = observationSchema.parse(vital(kind, midpoint(kind)));
    expect(parsed).toMatchObject({ kind, code: vitals[kind].loinc, unit: vitals[kind].unit });
  });

  it('covers every kind: each vital in the table and consciousness', () => {
    expect([...observationKinds].sort()).toEqual([...vitalKinds, 'consciousness'].sort());
    expect(observationSchema.options.map((option) => option.shape.kind.value).sort()).toEqual([...observationKinds].sort());
  });

  it('accepts a device reading with its device and raw frame', () => {
    const parsed = observationSchema.parse(vital('spo2', 97, { source: { type: 'device', device, raw: '0a1b2c' }, onOxygen: false, spo2Scale: 1 }));
    expect(parsed.source).toEqual({ type: 'device', device, raw: '0a1b2c' });
    expect(parsed).toMatchObject({ onOxygen: false, spo2Scale: 1 });
  });

  it('accepts ACVPU consciousness with LOINC 67775-7 and no unit', () => {
    for (const value of ['A', 'C', 'V', 'P', 'U']) expect(observationSchema.parse({ ...consciousness, value }).value).toBe(value);
    expect(consciousnessCode).toEqual({ loinc: '67775-7', display: 'Level of responsiveness' });
  });

  it('refuses implausible values with the range as data, never English text', () => {
    expect(problems(vital('spo2', 101))).toEqual([{ path: 'value', key: keys.implausible, params: { low: 50, high: 100, unit: '%' } }]);
    expect(problems(vital('bodyTemperature', 24.9))).toEqual([{ path: 'value', key: keys.implausible, params: { low: 25, high: 45, unit: '°C' } }]);
    expect(problems(vital('systolic', 301))).toEqual([{ path: 'value', key: keys.implausible, params: { low: 40, high: 300, unit: 'mmHg' } }]);
  });

  it('accepts the ends of each plausible range', () => {
    for (const kind of vitalKinds) {
      const [low, high] = vitals[kind].plausible;
      expect(observationSchema.safeParse(vital(kind, low)).success, `${kind} ${low}`).toBe(true);
      expect(observationSchema.safeParse(vital(kind, high)).success, `${kind} ${high}`).toBe(true);
    }
  });

  it('refuses a code or unit other than the table gives the kind', () => {
    expect(problems(vital('pulse', 70, { code: vitals.respiratoryRate.loinc }))).toEqual([{ path: 'code', key: keys.codeMismatch }]);
    expect(problems(vital('bodyTemperature', 37, { unit: '[degF]' }))).toEqual([{ path: 'unit', key: keys.unitMismatch }]);
    expect(problems({ ...consciousness, code: '11454-6' })).toEqual([{ path: 'code', key: keys.codeMismatch }]);
  });

  it('refuses values that are not numbers, unknown kinds and unknown ACVPU levels', () => {
    expect(problems(vital('pulse', Number.NaN))).toEqual([{ path: 'value', key: keys.notANumber }]);
    expect(problems(vital('pulse', Number.POSITIVE_INFINITY))).toEqual([{ path: 'value', key: keys.notANumber }]);
    expect(problems({ ...vital('pulse', 70), kind: 'height' })).toEqual([{ path: 'kind', key: keys.kindUnknown }]);
    expect(problems({ ...consciousness, value: 'X' })).toEqual([{ path: 'value', key: keys.consciousnessRequired }]);
  });

  it('keeps air/oxygen and the scale to SpO2, and units off consciousness', () => {
    expect(problems(vital('pulse', 70, { onOxygen: true }))[0]?.key).toBe(keys.invalid);
    expect(problems({ ...consciousness, unit: '{score}' })[0]?.key).toBe(keys.invalid);
    expect(problems(vital('spo2', 97, { spo2Scale: 3 }))).toEqual([{ path: 'spo2Scale', key: keys.spo2ScaleInvalid }]);
  });

  it('keeps a glucometer result beyond its range as the limit with its comparator, from a device only', () => {
    const meter = { source: { type: 'device', device: { driver: 'freestyle', manufacturer: 'Abbott', model: 'FreeStyle Precision Neo' }, raw: '37' } };
    expect(observationSchema.parse(vital('glucoseMass', 500, { ...meter, comparator: '>' }))).toMatchObject({ value: 500, comparator: '>' });
    expect(observationSchema.parse(vital('glucoseMoles', 1.1, { ...meter, comparator: '<' }))).toMatchObject({ value: 1.1, comparator: '<' });
    expect(observationSchema.parse(vital('glucoseMass', 120, meter))).not.toHaveProperty('comparator');
    // A typed value is what the nurse read: "above range" can only come from the meter.
    expect(problems(vital('glucoseMass', 600, { comparator: '>' }))).toEqual([{ path: 'comparator', key: keys.comparatorNotFromDevice }]);
    expect(problems(vital('glucoseMass', 600, { ...meter, comparator: '>=' }))).toEqual([{ path: 'comparator', key: keys.comparatorInvalid }]);
    // Only glucose has a meter range to leave.
    expect(problems(vital('spo2', 100, { ...meter, comparator: '>', onOxygen: false }))[0]?.key).toBe(keys.invalid);
    expect(problems(vital('bodyWeight', 200, { ...meter, comparator: '>' }))[0]?.key).toBe(keys.invalid);
  });

  it('refuses malformed ids, times without an offset and a raw frame that is not hex', () => {
    expect(problems(vital('pulse', 70, { patientId: 'Amina Diallo' }))).toEqual([{ path: 'patientId', key: keys.recordDamaged }]);
    expect(problems(vital('pulse', 70, { effectiveAt: '2025-06-15T09:30:00' }))).toEqual([{ path: 'effectiveAt', key: keys.recordDamaged }]);
    expect(problems(vital('pulse', 70, { source: { type: 'device', device, raw: 'zz' } }))).toEqual([{ path: 'source.raw', key: keys.recordDamaged }]);
    expect(problems(vital('pulse', 70, { source: { type: 'paper' } }))).toEqual([{ path: 'source.type', key: keys.recordDamaged }]);
  });

  it('property: a value is accepted exactly when implausibility() finds nothing wrong with it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...vitalKinds), fc.double({ min: -100, max: 2000, noNaN: true }), (kind, value) => {
        const [low, high] = vitals[kind].plausible;
        const result = observationSchema.safeParse(vital(kind, value));
        expect(result.success).toBe(value >= low && value <= high);
        if (!result.success) expect(validationProblems(result.error)).toEqual([{ path: 'value', key: keys.implausible, params: { low, high, unit: unitDisplay[vitals[kind].unit] } }]);
      }),
    );
  });
});

describe('validationProblems', () => {
  it('passes on only our own keys', () => {
    const result = observationSchema.safeParse({ ...vital('pulse', 70), id: 42 });
    expect(result.success).toBe(false);
    if (!result.success) for (const problem of validationProblems(result.error)) expect(observationValidationKeyList).toContain(problem.key);
  });
});

const typed = { respiratoryRate: '18', consciousness: 'A', temperature: '37,2', systolic: '128', diastolic: '82' };

function fieldErrors(input: Record<string, unknown>) {
  const result = manualEntrySchema.safeParse(input);
  if (result.success) throw new Error('expected the entry to be refused');
  return manualEntryFieldErrors(result.error);
}

describe('manualEntrySchema', () => {
  it('reads numbers as typed, with a decimal comma or point', () => {
    expect(manualEntrySchema.parse(typed)).toEqual({ respiratoryRate: 18, consciousness: 'A', temperature: 37.2, systolic: 128, diastolic: 82 });
    expect(manualEntrySchema.parse({ ...typed, temperature: '37.50', weight: '3,255' })).toMatchObject({ temperature: 37.5, weight: 3.255 });
    expect(manualEntrySchema.parse({ ...typed, respiratoryRate: 18, temperature: 37.2 })).toMatchObject({ respiratoryRate: 18, temperature: 37.2 });
  });

  it('takes the optional values, and the air/oxygen choice with SpO2', () => {
    const entry = manualEntrySchema.parse({ ...typed, spo2: '95', onOxygen: true, spo2Scale: '2', pulse: '88', weight: '61.4' });
    expect(entry).toMatchObject({ spo2: 95, onOxygen: true, spo2Scale: 2, pulse: 88, weight: 61.4 });
    expect(manualEntrySchema.parse({ ...typed, spo2: '', onOxygen: '', pulse: '', weight: '' })).toEqual(manualEntrySchema.parse(typed));
  });

  it('normalizes the ACVPU letter', () => {
    expect(manualEntrySchema.parse({ ...typed, consciousness: ' v ' }).consciousness).toBe('V');
  });

  it('accepts any subset: a temperature alone, a blood pressure alone, a weight alone', () => {
    expect(manualEntrySchema.parse({ temperature: '37,9' })).toEqual({ temperature: 37.9 });
    expect(manualEntrySchema.parse({ systolic: '128', diastolic: '82', respiratoryRate: '', consciousness: '' })).toEqual({ systolic: 128, diastolic: 82 });
    expect(manualEntrySchema.parse({ weight: '3.4' })).toEqual({ weight: 3.4 });
    expect(manualEntrySchema.parse({ consciousness: 'a' })).toEqual({ consciousness: 'A' });
  });

  it('requires together only what belongs together: systolic with diastolic', () => {
    expect(fieldErrors({ systolic: '128' })).toEqual({ diastolic: { key: keys.diastolicRequired } });
    expect(fieldErrors({ diastolic: '82', temperature: '37.0' })).toEqual({ systolic: { key: keys.systolicRequired } });
    // A partner with a problem of its own is told that problem, not "required".
    expect(fieldErrors({ systolic: '128', diastolic: '8.5' })).toEqual({ diastolic: { key: keys.diastolicInvalid, params: { low: 20, high: 200 } } });
  });

  it('refuses an entry with nothing in it, as a problem of the whole form', () => {
    const result = manualEntrySchema.safeParse({ respiratoryRate: '', consciousness: '', temperature: ' ', systolic: '', diastolic: '', spo2: '', onOxygen: '', pulse: '', weight: '' });
    expect(result.success).toBe(false);
    if (!result.success) expect(validationProblems(result.error)).toEqual([{ path: '', key: keys.nothingEntered }]);
  });

  it('refuses values outside the plausible range or with more decimals than charted, with the range as parameters', () => {
    expect(fieldErrors({ ...typed, respiratoryRate: '0' })).toEqual({ respiratoryRate: { key: keys.respiratoryRateInvalid, params: { low: 2, high: 80 } } });
    expect(fieldErrors({ ...typed, respiratoryRate: '16.5' })).toEqual({ respiratoryRate: { key: keys.respiratoryRateInvalid, params: { low: 2, high: 80 } } });
    expect(fieldErrors({ ...typed, temperature: '37.25' })).toEqual({ temperature: { key: keys.temperatureInvalid, params: { low: 25, high: 45 } } });
    expect(fieldErrors({ ...typed, temperature: '98.6' })).toEqual({ temperature: { key: keys.temperatureInvalid, params: { low: 25, high: 45 } } });
    expect(fieldErrors({ ...typed, systolic: '-120' })).toEqual({ systolic: { key: keys.systolicInvalid, params: { low: 40, high: 300 } } });
    expect(fieldErrors({ ...typed, spo2: '101', onOxygen: false })).toEqual({ spo2: { key: keys.spo2Invalid, params: { low: 50, high: 100 } } });
    expect(fieldErrors({ ...typed, pulse: '1e2' })).toEqual({ pulse: { key: keys.pulseInvalid, params: { low: 20, high: 300 } } });
    expect(fieldErrors({ ...typed, weight: '0.1' })).toEqual({ weight: { key: keys.weightInvalid, params: { low: 0.2, high: 500 } } });
    expect(fieldErrors({ ...typed, diastolic: 82.5 })).toEqual({ diastolic: { key: keys.diastolicInvalid, params: { low: 20, high: 200 } } });
  });

  it('requires systolic above diastolic, reported with any other problem at once', () => {
    expect(fieldErrors({ ...typed, systolic: '80', diastolic: '80' })).toEqual({ diastolic: { key: keys.systolicNotAboveDiastolic } });
    expect(fieldErrors({ ...typed, systolic: '70', diastolic: '90', respiratoryRate: '5.5' })).toEqual({
      respiratoryRate: { key: keys.respiratoryRateInvalid, params: { low: 2, high: 80 } },
      diastolic: { key: keys.systolicNotAboveDiastolic },
    });
  });

  it('asks for air or oxygen with SpO2, and for SpO2 with air or oxygen', () => {
    expect(fieldErrors({ ...typed, spo2: '96' })).toEqual({ onOxygen: { key: keys.onOxygenRequired } });
    expect(fieldErrors({ ...typed, onOxygen: true })).toEqual({ spo2: { key: keys.spo2Required } });
    expect(fieldErrors({ ...typed, spo2Scale: '2' })).toEqual({ spo2: { key: keys.spo2Required } });
    expect(fieldErrors({ ...typed, spo2: '96', onOxygen: 'yes' })).toEqual({ onOxygen: { key: keys.onOxygenRequired } });
    expect(fieldErrors({ ...typed, spo2: '96', onOxygen: false, spo2Scale: '3' })).toEqual({ spo2Scale: { key: keys.spo2ScaleInvalid } });
  });

  it('every key the schemas can produce is in the exported list, under validation.observation.*', () => {
    for (const key of observationValidationKeyList) expect(key).toMatch(/^validation\.observation\.[a-zA-Z0-9]+$/);
    expect(new Set(observationValidationKeyList).size).toBe(observationValidationKeyList.length);
    const junk = fc.record(
      {
        respiratoryRate: fc.oneof(fc.string(), fc.integer({ min: -5, max: 100 }), fc.constant(undefined)),
        consciousness: fc.oneof(fc.constantFrom('A', 'c', 'X', ''), fc.integer()),
        temperature: fc.oneof(fc.string(), fc.double({ noNaN: false })),
        systolic: fc.oneof(fc.integer({ min: 0, max: 400 }).map(String), fc.constant(null)),
        diastolic: fc.integer({ min: 0, max: 300 }),
        spo2: fc.oneof(fc.integer({ min: 40, max: 110 }), fc.constant('')),
        onOxygen: fc.oneof(fc.boolean(), fc.constant('maybe'), fc.constant(undefined)),
        spo2Scale: fc.constantFrom(1, 2, '2', 3, undefined),
        pulse: fc.string(),
        weight: fc.double({ min: -1, max: 600, noNaN: true }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(junk, (input) => {
        const result = manualEntrySchema.safeParse(input);
        if (result.success) return;
        for (const problem of validationProblems(result.error)) expect(observationValidationKeyList).toContain(problem.key);
      }),
    );
  });

  it('has a label key for every ACVPU level', () => {
    expect(acvpuLabelKeys).toEqual({ A: 'observation.acvpu.A', C: 'observation.acvpu.C', V: 'observation.acvpu.V', P: 'observation.acvpu.P', U: 'observation.acvpu.U' });
  });
});

describe('observationsFromManualEntry', () => {
  const context = () => {
    let next = 0;
    return { patientId: 'patient-1', recordedBy: 'nurse-7', confirmedAt: at, newId: () => `obs-${++next}` };
  };

  it('makes one stored observation per value, measured and recorded at confirmation', () => {
    const entry: ManualEntry = manualEntrySchema.parse({ ...typed, spo2: '94', onOxygen: true, pulse: '101', weight: '70' });
    const stored = observationsFromManualEntry(entry, context());
    expect(stored.map((o) => [o.kind, o.value])).toEqual([
      ['respiratoryRate', 18],
      ['spo2', 94],
      ['systolic', 128],
      ['diastolic', 82],
      ['pulse', 101],
      ['consciousness', 'A'],
      ['bodyTemperature', 37.2],
      ['bodyWeight', 70],
    ]);
    expect(new Set(stored.map((o) => o.id)).size).toBe(stored.length);
    for (const observation of stored) {
      expect(observation).toMatchObject({ patientId: 'patient-1', recordedBy: 'nurse-7', effectiveAt: at, recordedAt: at, source: { type: 'manual' } });
      expect(observationSchema.parse(observation)).toEqual(observation);
    }
    expect(stored.find((o) => o.kind === 'spo2')).toMatchObject({ onOxygen: true, code: '59408-5', unit: '%' });
    expect(stored.find((o) => o.kind === 'spo2')).not.toHaveProperty('spo2Scale');
  });

  it('leaves out optional values not given', () => {
    const stored = observationsFromManualEntry(manualEntrySchema.parse(typed), context());
    expect(stored.map((o) => o.kind)).toEqual(['respiratoryRate', 'systolic', 'diastolic', 'consciousness', 'bodyTemperature']);
  });

  it('stores a temperature alone as one observation, with no consciousness made up', () => {
    const stored = observationsFromManualEntry(manualEntrySchema.parse({ temperature: '38.2' }), context());
    expect(stored.map((o) => [o.kind, o.value])).toEqual([['bodyTemperature', 38.2]]);
  });

  it('throws rather than store an observation with a malformed id', () => {
    expect(() => observationsFromManualEntry(manualEntrySchema.parse(typed), { ...context(), patientId: 'not an id' })).toThrow();
  });
});
