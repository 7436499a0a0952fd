import { z } from 'zod';
import { fullYearsBetween, localCalendarDate, parseIsoDate, toIsoDate } from './calendar-date';
import { isValidClinicNumber, normalizeClinicNumber } from './clinic-number';
import { normalizePhone } from './phone';
import { patientValidationKeys as keys } from './validation-keys';

export const sexes = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof sexes)[number];

export const earliestBirthDate = '1900-01-01';
export const maxEstimatedAgeYears = 130;

/** Forms send '' for a field left empty; that means "not given", not "given as nothing". */
function blankToUndefined(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToUndefined, schema.optional());
}

/** Free text, in one Unicode form so the same words typed on different keyboards compare equal. */
function text(max: number, tooLong: string) {
  return z
    .string({ error: keys.invalid })
    .normalize('NFC')
    .trim()
    .max(max, { error: tooLong });
}

function personName(required: string, tooLong: string) {
  return z
    .string({ error: required })
    .normalize('NFC')
    // Doubled spaces would make the same person look like two in duplicate checks.
    .overwrite((value) => value.replace(/\s+/g, ' ').trim())
    .min(1, { error: required })
    .max(100, { error: tooLong });
}

/**
 * `rejectFuture` is off for stored records: whether a saved record can be read
 * must not depend on the reading workstation's clock being right.
 */
function birthDate(rejectFuture: boolean) {
  const schema = z
    .string({ error: keys.birthDateInvalid })
    .trim()
    .refine((value) => parseIsoDate(value) !== undefined, { error: keys.birthDateInvalid, abort: true })
    .refine((value) => value >= earliestBirthDate, { error: keys.birthDateTooEarly, abort: true });
  return rejectFuture
    ? schema.refine((value) => value <= toIsoDate(localCalendarDate(new Date())), { error: keys.birthDateInFuture })
    : schema;
}

/** Number inputs hand over text; whole numbers typed as text are accepted. */
function wholeNumberText(value: unknown): unknown {
  const given = blankToUndefined(value);
  return typeof given === 'string' && /^\s*\d{1,3}\s*$/.test(given) ? Number(given) : given;
}

const estimatedAgeYears = z.preprocess(
  wholeNumberText,
  z
    .number({ error: keys.estimatedAgeInvalid })
    .int({ error: keys.estimatedAgeInvalid })
    .min(0, { error: keys.estimatedAgeInvalid })
    .max(maxEstimatedAgeYears, { error: keys.estimatedAgeInvalid })
    .optional(),
);

const phone = optional(
  z
    .string({ error: keys.phoneInvalid })
    .refine((value) => normalizePhone(value) !== undefined, { error: keys.phoneInvalid })
    .transform((value) => normalizePhone(value) ?? value),
);

/**
 * Stored as typed: cards print their punctuation (Zambia's NRC is
 * "123456/78/1"), and search ignores it (app/search/identifier-keys.ts). At
 * least one letter or digit; slashes, dashes, dots and spaces between them.
 */
const nationalId = optional(
  text(40, keys.nationalIdTooLong).regex(/^(?=.*[\p{L}\p{Nd}])[\p{L}\p{Nd}\s/.-]+$/u, { error: keys.nationalIdInvalid }),
);

function patientFields(rejectFutureBirthDate: boolean) {
  return {
    givenNames: personName(keys.givenNamesRequired, keys.givenNamesTooLong),
    familyName: personName(keys.familyNameRequired, keys.familyNameTooLong),
    sex: z.enum(sexes, { error: keys.sexRequired }),
    birthDate: optional(birthDate(rejectFutureBirthDate)),
    estimatedAgeYears,
    phone,
    village: optional(text(200, keys.villageTooLong)),
    address: optional(text(300, keys.addressTooLong)),
    nationalId,
  };
}

/** A date of birth or, when nobody knows it, an estimated age: exactly one. */
function requireBirthDateOrAge(
  value: { birthDate?: string | undefined; estimatedAgeYears?: number | undefined },
  ctx: z.RefinementCtx,
): void {
  const hasDate = value.birthDate !== undefined;
  const hasAge = value.estimatedAgeYears !== undefined;
  if (hasDate === hasAge) {
    // On birthDate, the field the form shows first for the pair.
    ctx.addIssue({ code: 'custom', path: ['birthDate'], message: hasDate ? keys.birthDateAndAge : keys.birthDateOrAge });
  }
}

/**
 * Zod skips an object's refinements once any field has failed, so an empty
 * form would mark the names and the sex but not the missing date of birth.
 * This runs the pair's check whenever the pair itself parsed.
 */
const birthDateOrAgeParams: z.core.$ZodSuperRefineParams = {
  when: (payload) =>
    typeof payload.value === 'object' &&
    payload.value !== null &&
    // Raw issues from inner checks may have no path yet.
    !payload.issues.some((issue) => ['birthDate', 'estimatedAgeYears'].includes(String(issue.path?.[0]))),
};

/** What a clerk enters at registration; parsing also normalizes it. */
export const patientInputSchema = z
  .object(patientFields(true), { error: keys.invalid })
  .superRefine(requireBirthDateOrAge, birthDateOrAgeParams);
export type PatientInput = z.output<typeof patientInputSchema>;

/** The stored patient payload; also validates payloads after decryption. */
export const patientSchema = z
  .object(
    {
      ...patientFields(false),
      id: z.string({ error: keys.recordDamaged }).min(1, { error: keys.recordDamaged }).max(100, { error: keys.recordDamaged }),
      clinicNumber: z
        .string({ error: keys.clinicNumberInvalid })
        .refine((value) => isValidClinicNumber(value) && normalizeClinicNumber(value) === value, {
          error: keys.clinicNumberInvalid,
        }),
      createdAt: z.iso.datetime({ offset: true, error: keys.recordDamaged }),
      updatedAt: z.iso.datetime({ offset: true, error: keys.recordDamaged }),
    },
    { error: keys.invalid },
  )
  .superRefine(requireBirthDateOrAge, birthDateOrAgeParams);
export type Patient = z.output<typeof patientSchema>;

const inputFields = new Set<string>(Object.keys(patientInputSchema.shape));

function isInputField(field: PropertyKey | undefined): field is keyof PatientInput {
  return typeof field === 'string' && inputFields.has(field);
}

/**
 * The message key of the first problem with each form field. Only our own
 * keys are passed on: anything else becomes the generic key, so no text
 * built from the submitted values can reach the screen or a log.
 */
export function fieldErrors(error: z.ZodError): Partial<Record<keyof PatientInput, string>> {
  const errors: Partial<Record<keyof PatientInput, string>> = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (!isInputField(field) || errors[field] !== undefined) continue;
    errors[field] = issue.message.startsWith('validation.patient.') ? issue.message : keys.invalid;
  }
  return errors;
}

export interface Age {
  years: number;
  /** True when derived from an age estimated at registration rather than a date of birth. */
  estimated: boolean;
}

/**
 * Age in whole years on `date` (its local calendar day). An estimated age was
 * estimated when the patient was registered, so it grows with the years since
 * `createdAt` when that is known.
 */
export function ageOn(
  patient: Pick<PatientInput, 'birthDate' | 'estimatedAgeYears'> & { createdAt?: string | undefined },
  date: Date,
): Age {
  const today = localCalendarDate(date);
  const born = patient.birthDate === undefined ? undefined : parseIsoDate(patient.birthDate);
  if (born) return { years: fullYearsBetween(born, today), estimated: false };
  if (patient.estimatedAgeYears === undefined) throw new Error('patient has neither a date of birth nor an estimated age');
  const registered = patient.createdAt === undefined ? undefined : new Date(patient.createdAt);
  const since = registered && !Number.isNaN(registered.getTime()) ? fullYearsBetween(localCalendarDate(registered), today) : 0;
  return { years: patient.estimatedAgeYears + since, estimated: true };
}
