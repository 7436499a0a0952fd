import { z } from 'zod';
import { acvpuLevels, roundHalfUp, spo2Scales, type Acvpu } from '../clinical/news2';
import { comparators, deviceIdentitySchema } from '../devices/decoded-item';
import { implausibility, vitalKinds, vitals, type VitalKind } from '../terminology/vitals';
import { observationValidationKeys as keys, type ObservationValidationKey } from './validation-keys';

/**
 * The stored observation payload: one value a nurse confirmed, coded (LOINC),
 * in its UCUM unit, with who recorded it and where it came from. The schema
 * is the contract; the types are inferred from it.
 */

/**
 * Level of consciousness (ACVPU) is not in the vital-signs table: it has no
 * unit and no numeric value. LOINC 67775-7 "Level of responsiveness" is the
 * observation code; its value is the ACVPU letter (see app/fhir/observation.ts for how it is
 * exported).
 */
export const consciousnessCode = { loinc: '67775-7', display: 'Level of responsiveness' } as const;

export type ObservationKind = VitalKind | 'consciousness';
export const observationKinds: readonly ObservationKind[] = [...vitalKinds, 'consciousness'];
/** The kind each of our LOINC codes records. */
export const kindOfLoinc: ReadonlyMap<string, ObservationKind> = new Map<string, ObservationKind>([...vitalKinds.map((kind): [string, ObservationKind] => [vitals[kind].loinc, kind]), [consciousnessCode.loinc, 'consciousness']]);

/** i18n keys naming each ACVPU level for the screen (Alert, new Confusion, Voice, Pain, Unresponsive). */
export const acvpuLabelKeys = {
  A: 'observation.acvpu.A',
  C: 'observation.acvpu.C',
  V: 'observation.acvpu.V',
  P: 'observation.acvpu.P',
  U: 'observation.acvpu.U',
} as const satisfies Record<Acvpu, string>;

/** Each ACVPU level in English, for what other systems read (a FHIR display, an HL7 v2 text); the screens translate `acvpuLabelKeys`. */
export const acvpuWords: Readonly<Record<Acvpu, string>> = {
  A: 'Alert',
  C: 'New confusion',
  V: 'Responds to voice',
  P: 'Responds to pain',
  U: 'Unresponsive',
};

type VitalUnit = (typeof vitals)[VitalKind]['unit'];
/** UCUM codes as people write them (UCUM's `mm[Hg]` and `Cel` are for machines). */
export const unitDisplay: Readonly<Record<VitalUnit, string>> = {
  '%': '%',
  '/min': '/min',
  'mm[Hg]': 'mmHg',
  kg: 'kg',
  Cel: '°C',
  'mg/dL': 'mg/dL',
  'mmol/L': 'mmol/L',
};

/**
 * FHIR ids ([A-Za-z0-9-.]{1,64}), as the audit log requires: the ids become
 * FHIR references, and the shape keeps names and phone numbers out of them.
 */
const fhirId = z.string({ error: keys.recordDamaged }).regex(/^[A-Za-z0-9\-.]{1,64}$/, { error: keys.recordDamaged });
/** With an offset: FHIR requires a time zone on a dateTime that has a time. */
const instant = z.iso.datetime({ offset: true, error: keys.recordDamaged });
/** The raw frame, as decoded-item.ts carries it. */
const rawHex = z.string({ error: keys.recordDamaged }).regex(/^[0-9a-f]*$/, { error: keys.recordDamaged }).max(16_384, { error: keys.recordDamaged });

export const observationSourceSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('device'), device: deviceIdentitySchema, raw: rawHex }).strict(),
    z.object({ type: z.literal('manual') }).strict(),
  ],
  { error: keys.recordDamaged },
);
export type ObservationSource = z.infer<typeof observationSourceSchema>;

const common = {
  id: fhirId,
  patientId: fhirId,
  /**
   * When the value was measured: the device's own time for a stored result
   * read back from its memory, the moment the nurse confirmed it for a live
   * value or a typed one.
   */
  effectiveAt: instant,
  /** When the nurse confirmed it into the record. */
  recordedAt: instant,
  /** The confirming staff member's user id. */
  recordedBy: fhirId,
  source: observationSourceSchema,
};

/** The parameters of the `implausible` message for `kind`. */
export function plausibleRange(kind: VitalKind): { low: number; high: number; unit: string } {
  const [low, high] = vitals[kind].plausible;
  return { low, high, unit: unitDisplay[vitals[kind].unit] };
}

function refuseImplausible(kind: VitalKind) {
  return (value: number, ctx: z.RefinementCtx) => {
    // implausibility() is the one rule for what a patient can have; its
    // English reason is not passed on, its range is, as message parameters.
    if (implausibility(kind, value) !== undefined) {
      ctx.addIssue({ code: 'custom', message: keys.implausible, params: plausibleRange(kind) });
    }
  };
}

function measurement<K extends VitalKind>(kind: K) {
  return z
    .object({
      ...common,
      kind: z.literal(kind),
      code: z.literal(vitals[kind].loinc, { error: keys.codeMismatch }),
      value: z.number({ error: keys.notANumber }).superRefine(refuseImplausible(kind)),
      unit: z.literal(vitals[kind].unit, { error: keys.unitMismatch }),
    })
    .strict();
}

const spo2Schema = measurement('spo2')
  .extend({
    /** Air (false) or supplemental oxygen (true) when the reading was taken; NEWS2 scores it. */
    onOxygen: z.boolean({ error: keys.onOxygenRequired }).optional(),
    /** The NEWS2 SpO2 scale a clinician set for this patient; absent means scale 1. */
    spo2Scale: z.union(spo2Scales.map((scale) => z.literal(scale)), { error: keys.spo2ScaleInvalid }).optional(),
  })
  .strict();

/**
 * A glucometer result beyond the meter's measuring range (HI / LO): the
 * comparator says which side, and `value` is the meter's limit, not a
 * measurement. Only a device can say so: a typed value is what was read.
 */
function glucose<K extends Extract<VitalKind, 'glucoseMass' | 'glucoseMoles'>>(kind: K) {
  return measurement(kind)
    .extend({ comparator: z.enum(comparators, { error: keys.comparatorInvalid }).optional() })
    .strict()
    .superRefine((observation, ctx) => {
      if (observation.comparator !== undefined && observation.source.type !== 'device') {
        ctx.addIssue({ code: 'custom', message: keys.comparatorNotFromDevice, path: ['comparator'] });
      }
    });
}

const consciousnessSchema = z
  .object({
    ...common,
    kind: z.literal('consciousness'),
    code: z.literal(consciousnessCode.loinc, { error: keys.codeMismatch }),
    value: z.enum(acvpuLevels, { error: keys.consciousnessRequired }),
  })
  .strict();

export const observationSchema = z.discriminatedUnion(
  'kind',
  [
    spo2Schema,
    measurement('pulse'),
    measurement('respiratoryRate'),
    measurement('systolic'),
    measurement('diastolic'),
    measurement('bodyWeight'),
    measurement('bodyTemperature'),
    glucose('glucoseMass'),
    glucose('glucoseMoles'),
    consciousnessSchema,
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? keys.kindUnknown : keys.recordDamaged) },
);
export type RecordedObservation = z.output<typeof observationSchema>;
export type ObservationOf<K extends ObservationKind> = Extract<RecordedObservation, { kind: K }>;

export interface ValidationProblem {
  /** Dotted path of the field, '' for the whole observation. */
  path: string;
  key: ObservationValidationKey;
  /** Message parameters, e.g. `{ low, high, unit }` for a range. */
  params?: Record<string, string | number>;
}

const ownKeys: ReadonlySet<string> = new Set<string>(Object.values(keys));

function isOwnKey(message: string): message is ObservationValidationKey {
  return ownKeys.has(message);
}

function messageParams(issue: z.core.$ZodIssue): Record<string, string | number> | undefined {
  if (issue.code !== 'custom' || issue.params === undefined) return undefined;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(issue.params)) {
    if (typeof value === 'string' || typeof value === 'number') params[name] = value;
  }
  return params;
}

/**
 * The problems as message keys with their parameters. Only our own keys are
 * passed on: anything else becomes the generic key, so no text built from the
 * submitted values can reach the screen or a log.
 */
export function validationProblems(error: z.ZodError): ValidationProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (!isOwnKey(issue.message)) return { path, key: keys.invalid };
    const params = messageParams(issue);
    return params === undefined ? { path, key: issue.message } : { path, key: issue.message, params };
  });
}

// ---- manual entry ---------------------------------------------------------

type Read = { ok: true; value: number | undefined } | { ok: false };

/**
 * A number as typed: digits with at most `decimals` decimals after '.' or ','
 * (French keyboards and habits use the comma), trailing zeros allowed
 * ("37,50"). No signs, exponents or spaces inside: a vital sign has none, and
 * accepting "1e2" would only hide a typo. Blank means "not given".
 */
function readNumber(raw: unknown, decimals: number): Read {
  if (raw === undefined || raw === null) return { ok: true, value: undefined };
  if (typeof raw === 'number') return Number.isFinite(raw) && roundHalfUp(raw, decimals) === raw ? { ok: true, value: raw } : { ok: false };
  if (typeof raw !== 'string') return { ok: false };
  const text = raw.trim();
  if (text === '') return { ok: true, value: undefined };
  const match = /^(\d{1,5})(?:[.,](\d{1,6}))?$/.exec(text);
  if (match === null) return { ok: false };
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals) return { ok: false };
  return { ok: true, value: Number(`${match[1]}.${fraction || '0'}`) };
}

function rangeParams(kind: VitalKind): { low: number; high: number } {
  const [low, high] = vitals[kind].plausible;
  return { low, high };
}

function readVital(raw: unknown, kind: VitalKind, decimals: number, invalid: ObservationValidationKey, ctx: z.RefinementCtx): number | undefined {
  const read = readNumber(raw, decimals);
  if (!read.ok || (read.value !== undefined && implausibility(kind, read.value) !== undefined)) {
    ctx.addIssue({ code: 'custom', message: invalid, params: rangeParams(kind) });
    return z.NEVER;
  }
  return read.value;
}

function optionalVital(kind: VitalKind, decimals: number, invalid: ObservationValidationKey) {
  // optional(): a blank field gives undefined, which the object must accept as "not given".
  return z
    .unknown()
    .transform((raw, ctx): number | undefined => readVital(raw, kind, decimals, invalid, ctx))
    .optional();
}

/** Forms send '' for a control left empty; that means "not given". */
function blankToUndefined(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

const consciousnessEntry = z.preprocess(
  (value) => {
    const given = blankToUndefined(value);
    return typeof given === 'string' ? given.trim().toUpperCase() : given;
  },
  z.enum(acvpuLevels, { error: keys.consciousnessRequired }).optional(),
);

const onOxygenEntry = z.preprocess(blankToUndefined, z.boolean({ error: keys.onOxygenRequired }).optional());

const spo2ScaleEntry = z.preprocess(
  (value) => {
    const given = blankToUndefined(value);
    return given === '1' || given === '2' ? Number(given) : given;
  },
  z.union([z.literal(1), z.literal(2)], { error: keys.spo2ScaleInvalid }).optional(),
);

const isNumber = (value: unknown): value is number => typeof value === 'number';

/**
 * What a nurse types for a set of observations: any subset, because a clinic
 * often takes one value alone (a temperature at triage, a blood pressure at a
 * follow-up). Only values that belong together are required together:
 * systolic with diastolic (one blood pressure), and air or oxygen with SpO2
 * (NEWS2 scores them as a pair). At least one value. Each value must be
 * charted as NEWS2 scores it: whole numbers, temperature with at most one
 * decimal, weight with at most three (grams).
 */
export const manualEntrySchema = z
  .object(
    {
      respiratoryRate: optionalVital('respiratoryRate', 0, keys.respiratoryRateInvalid),
      consciousness: consciousnessEntry,
      temperature: optionalVital('bodyTemperature', 1, keys.temperatureInvalid),
      systolic: optionalVital('systolic', 0, keys.systolicInvalid),
      diastolic: optionalVital('diastolic', 0, keys.diastolicInvalid),
      spo2: optionalVital('spo2', 0, keys.spo2Invalid),
      onOxygen: onOxygenEntry,
      spo2Scale: spo2ScaleEntry,
      pulse: optionalVital('pulse', 0, keys.pulseInvalid),
      weight: optionalVital('bodyWeight', 3, keys.weightInvalid),
    },
    { error: keys.invalid },
  )
  // The cross-field rules run even when another field has a problem (`when`),
  // so the nurse sees every problem at once; each checks its own fields' types
  // because a field with a problem has no value yet.
  // A partner with a problem of its own (8.5 typed) also has no value here;
  // its own problem comes first, and manualEntryFieldErrors keeps the first
  // problem per field, so "required" is shown only for a field left blank.
  .refine((entry) => !(isNumber(entry.systolic) && entry.diastolic === undefined), {
    message: keys.diastolicRequired,
    path: ['diastolic'],
    when: () => true,
  })
  .refine((entry) => !(isNumber(entry.diastolic) && entry.systolic === undefined), {
    message: keys.systolicRequired,
    path: ['systolic'],
    when: () => true,
  })
  .refine((entry) => !(isNumber(entry.systolic) && isNumber(entry.diastolic) && entry.systolic <= entry.diastolic), {
    message: keys.systolicNotAboveDiastolic,
    path: ['diastolic'],
    when: () => true,
  })
  .refine((entry) => !(isNumber(entry.spo2) && entry.onOxygen === undefined), {
    message: keys.onOxygenRequired,
    path: ['onOxygen'],
    when: () => true,
  })
  .refine((entry) => !(entry.spo2 === undefined && (entry.onOxygen !== undefined || entry.spo2Scale !== undefined)), {
    message: keys.spo2Required,
    path: ['spo2'],
    when: () => true,
  })
  // Whole-form problem (path ''): nothing to store. Without `when`, it runs
  // only when no field has a problem, so a mistyped value is reported on its
  // own rather than as "nothing entered".
  .refine((entry) => Object.values(entry).some((value) => value !== undefined), {
    message: keys.nothingEntered,
    path: [],
  });
export type ManualEntry = z.output<typeof manualEntrySchema>;
export type ManualEntryField = keyof ManualEntry;

const manualFields: ReadonlySet<string> = new Set(Object.keys(manualEntrySchema.shape));

function isManualField(field: PropertyKey | undefined): field is ManualEntryField {
  return typeof field === 'string' && manualFields.has(field);
}

/** The first problem with each form field, as a message key with its parameters. */
export function manualEntryFieldErrors(error: z.ZodError): Partial<Record<ManualEntryField, Omit<ValidationProblem, 'path'>>> {
  const errors: Partial<Record<ManualEntryField, Omit<ValidationProblem, 'path'>>> = {};
  for (const problem of validationProblems(error)) {
    const field = problem.path.split('.')[0];
    if (!isManualField(field) || errors[field] !== undefined) continue;
    errors[field] = problem.params === undefined ? { key: problem.key } : { key: problem.key, params: problem.params };
  }
  return errors;
}

export interface ManualEntryContext {
  patientId: string;
  /** The confirming staff member's user id. */
  recordedBy: string;
  /** The moment the nurse confirmed the values: both when they were measured and when they were recorded. */
  confirmedAt: string;
  /** A fresh observation id per call. */
  newId: () => string;
}

/**
 * The stored observations for one confirmed manual entry, one per value, each
 * validated against `observationSchema` (so a bad id or date throws here, not
 * later in the store).
 */
export function observationsFromManualEntry(entry: ManualEntry, context: ManualEntryContext): RecordedObservation[] {
  const base = {
    patientId: context.patientId,
    effectiveAt: context.confirmedAt,
    recordedAt: context.confirmedAt,
    recordedBy: context.recordedBy,
    source: { type: 'manual' },
  } as const;
  const vital = (kind: VitalKind, value: number | undefined, extra: object = {}) =>
    value === undefined ? [] : [{ ...base, id: context.newId(), kind, code: vitals[kind].loinc, value, unit: vitals[kind].unit, ...extra }];
  const spo2Extra = {
    ...(entry.onOxygen === undefined ? {} : { onOxygen: entry.onOxygen }),
    ...(entry.spo2Scale === undefined ? {} : { spo2Scale: entry.spo2Scale }),
  };
  const drafts: unknown[] = [
    ...vital('respiratoryRate', entry.respiratoryRate),
    ...vital('spo2', entry.spo2, spo2Extra),
    ...vital('systolic', entry.systolic),
    ...vital('diastolic', entry.diastolic),
    ...vital('pulse', entry.pulse),
    ...(entry.consciousness === undefined ? [] : [{ ...base, id: context.newId(), kind: 'consciousness', code: consciousnessCode.loinc, value: entry.consciousness }]),
    ...vital('bodyTemperature', entry.temperature),
    ...vital('bodyWeight', entry.weight),
  ];
  return drafts.map((draft) => observationSchema.parse(draft));
}
