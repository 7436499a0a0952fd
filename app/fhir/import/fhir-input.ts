import { z } from 'zod';
import { parseIsoDate } from '../../patients/calendar-date';
import { fhirIdPattern } from '../ids';
import { importProblemKeys as problem, type ImportProblemKey } from './import-problems';

/**
 * What an import reads of a FHIR R4 resource, as schemas: the elements the
 * workstation keeps, with FHIR's rules for them (id, date, dateTime,
 * cardinality, required codes). Other elements pass through unread. The
 * product cannot carry the full R4 definitions (35 MB; tools/fhir uses them
 * in tests): what is not read here cannot harm the store, and what is read
 * is checked here and again by the store's own schemas.
 */

const string = z.string().min(1, problem.empty);
const uri = string;
const id = z.string().regex(fhirIdPattern, problem.notFhirId);

const datePattern = /^\d{4}(-\d{2}(-\d{2})?)?$/;
/** FHIR `date`: a year, a month or a day, and a real one. */
const date = z.string().refine((text) => datePattern.test(text) && (text.length < 10 || parseIsoDate(text) !== undefined), problem.notFhirDate);

const dateTimePattern = /^(\d{4})(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-](?:0\d|1[0-3]):[0-5]\d|[+-]14:00))?)?)?$/;
/** FHIR `dateTime`: a date, or a time with its zone; the day must exist. */
const dateTime = z.string().refine((text) => {
  if (!dateTimePattern.test(text)) return false;
  return text.length < 10 || (parseIsoDate(text.slice(0, 10)) !== undefined && (text.length === 10 || !Number.isNaN(Date.parse(text))));
}, problem.notFhirDateTime);

export const codingSchema = z.looseObject({ system: uri.optional(), code: string.optional(), display: z.string().optional() });
export const codeableConceptSchema = z.looseObject({ coding: z.array(codingSchema).optional(), text: z.string().optional() });
export const identifierSchema = z.looseObject({ use: z.string().optional(), type: codeableConceptSchema.optional(), system: uri.optional(), value: string.optional() });
export const referenceSchema = z.looseObject({ reference: string.optional() });
export const quantitySchema = z.looseObject({
  value: z.number(problem.notNumber).optional(),
  comparator: z.enum(['<', '<=', '>=', '>'], problem.notComparator).optional(),
  unit: z.string().optional(),
  system: uri.optional(),
  code: string.optional(),
});

export interface ExtensionInput {
  url: string;
  extension?: ExtensionInput[] | undefined;
  valueBoolean?: boolean | undefined;
  valueInteger?: number | undefined;
  valueDateTime?: string | undefined;
  valueBase64Binary?: string | undefined;
  valueIdentifier?: z.infer<typeof identifierSchema> | undefined;
  valueAge?: z.infer<typeof quantitySchema> | undefined;
  [other: string]: unknown;
}

export const extensionSchema: z.ZodType<ExtensionInput> = z.looseObject({
  url: uri,
  get extension() {
    return z.array(extensionSchema).optional();
  },
  valueBoolean: z.boolean(problem.notBoolean).optional(),
  valueInteger: z.number().int(problem.notWholeNumber).optional(),
  valueDateTime: dateTime.optional(),
  valueBase64Binary: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, problem.notBase64).optional(),
  valueIdentifier: identifierSchema.optional(),
  valueAge: quantitySchema.optional(),
});

const extensions = z.array(extensionSchema).optional();
const meta = z.looseObject({ lastUpdated: dateTime.optional() }).optional();

/** What every resource read here may have: an id, when it changed, extensions and identifiers. */
const resourceBase = { id: id.optional(), meta, extension: extensions, identifier: z.array(identifierSchema).optional() };

export const patientInput = z.looseObject({
  resourceType: z.literal('Patient'),
  ...resourceBase,
  active: z.boolean().optional(),
  name: z.array(z.looseObject({ use: z.string().optional(), text: z.string().optional(), family: string.optional(), given: z.array(string).optional() })).optional(),
  telecom: z.array(z.looseObject({ system: z.string().optional(), value: string.optional(), use: z.string().optional() })).optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown'], problem.notGender).optional(),
  birthDate: date.optional(),
  _birthDate: z.looseObject({ extension: extensions }).optional(),
  address: z.array(z.looseObject({ use: z.string().optional(), text: z.string().optional(), line: z.array(string).optional(), city: string.optional(), district: z.string().optional() })).optional(),
});
export type PatientInput = z.infer<typeof patientInput>;

const observationStatuses = ['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown'] as const;

export const observationInput = z.looseObject({
  resourceType: z.literal('Observation'),
  ...resourceBase,
  status: z.enum(observationStatuses, problem.notStatus),
  code: codeableConceptSchema,
  subject: referenceSchema.optional(),
  encounter: referenceSchema.optional(),
  effectiveDateTime: dateTime.optional(),
  effectiveInstant: dateTime.optional(),
  effectivePeriod: z.looseObject({ start: dateTime.optional(), end: dateTime.optional() }).optional(),
  issued: dateTime.optional(),
  performer: z.array(referenceSchema).optional(),
  valueQuantity: quantitySchema.optional(),
  valueCodeableConcept: codeableConceptSchema.optional(),
  device: referenceSchema.optional(),
  component: z
    .array(z.looseObject({ extension: extensions, code: codeableConceptSchema, valueQuantity: quantitySchema.optional() }))
    .optional(),
});
export type ObservationInput = z.infer<typeof observationInput>;

export const encounterInput = z.looseObject({
  resourceType: z.literal('Encounter'),
  id: id.optional(),
  identifier: z.array(identifierSchema).optional(),
  status: string,
  subject: referenceSchema.optional(),
  period: z.looseObject({ start: dateTime.optional(), end: dateTime.optional() }).optional(),
  participant: z.array(z.looseObject({ individual: referenceSchema.optional() })).optional(),
});
export type EncounterInput = z.infer<typeof encounterInput>;

export const consentInput = z.looseObject({
  resourceType: z.literal('Consent'),
  id: id.optional(),
  identifier: z.array(identifierSchema).optional(),
  status: string,
  patient: referenceSchema.optional(),
  dateTime: dateTime.optional(),
  policy: z.array(z.looseObject({ uri: z.string().optional() })).optional(),
  provision: z.looseObject({ type: z.string().optional() }).optional(),
  extension: z.array(z.looseObject({ url: z.string(), extension: z.array(z.looseObject({ url: z.string(), valueReference: referenceSchema.optional(), valueDateTime: dateTime.optional() })).optional() })).optional(),
});
export type ConsentInput = z.infer<typeof consentInput>;

export const deviceInput = z.looseObject({
  resourceType: z.literal('Device'),
  id: id.optional(),
  type: codeableConceptSchema.optional(),
  manufacturer: z.string().optional(),
  deviceName: z.array(z.looseObject({ name: z.string(), type: z.string() })).optional(),
  serialNumber: z.string().optional(),
});
export type DeviceInput = z.infer<typeof deviceInput>;

/** Every resource needs a type; other checks depend on it. */
export const anyResourceInput = z.looseObject({ resourceType: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/, problem.notResourceType), id: id.optional() });

/**
 * A problem's place as FHIR paths write it, `Patient.name[0].given[1]`:
 * the resource type, then the schema path with list positions in brackets.
 */
export function fhirPath(resourceType: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : `${text}.${String(part)}`), resourceType);
}

const ownKeys: ReadonlySet<string> = new Set(Object.values(problem));

/**
 * The first problem of a failed parse: its FHIR path and message key. Zod's
 * own messages (a wrong type) become our keys, so no text built from the
 * file's values reaches the screen.
 */
export function firstIssue(resourceType: string, error: z.ZodError): { path: string; key: ImportProblemKey } {
  const issue = error.issues[0];
  if (issue === undefined) return { path: resourceType, key: problem.wrongType };
  const path = fhirPath(resourceType, issue.path);
  if (ownKeys.has(issue.message)) return { path, key: issue.message as ImportProblemKey };
  return { path, key: issue.code === 'invalid_type' && issue.message.endsWith('received undefined') ? problem.required : issue.code === 'invalid_value' ? problem.notAllowedValue : problem.wrongType };
}
