import { z } from 'zod';
import { fromHex } from '../../crypto/bytes';
import { sha256Hex } from '../../crypto/digest';
import { generateClinicNumber, isValidClinicNumber, normalizeClinicNumber } from '../../patients/clinic-number';
import { patientSchema, type Patient } from '../../patients/patient';
import { patientValidationKeys } from '../../patients/validation-keys';
import { derivedId } from '../ids';
import { clinicNumberSystem, EXTENSION, IDENTIFIER_TYPE, PATIENT_ID } from '../systems';
import type { ExtensionInput, PatientInput } from './fhir-input';
import { importProblemKeys as problem, type ImportProblem } from './import-problems';

/**
 * A FHIR Patient as the workstation's patient record: the reverse of
 * app/fhir/patient.ts for our own exports, and the closest reading of
 * another system's. What an existing patient is matched on travels beside it.
 */

export interface PatientMatchKeys {
  /** Our store id (the `PATIENT_ID` identifier): the same record. */
  storeId?: string | undefined;
  /** A clinic number in this clinic's own system: the same patient. */
  clinicNumber?: string | undefined;
  /** The national ID (identifier type NI). */
  nationalId?: string | undefined;
}

export interface ImportedPatient {
  /** With the id a new record would get; the store replaces it when the patient matches one it has. */
  patient: Patient;
  match: PatientMatchKeys;
}

export interface PatientImportContext {
  clinicId: string;
  /** What identifies the resource in its source (`Patient/<id>` or its fullUrl): another system's patients get ids derived from it. */
  sourceKey: string;
  /** When the import runs: the registration time of a patient whose source says none. */
  importedAt: string;
}

type Problem = Pick<ImportProblem, 'path' | 'key' | 'params'>;
export type PatientMapping = { ok: true; value: ImportedPatient } | { ok: false; problem: Problem };

const otherClinicNumberSystem = /^urn:clinic-workstation:clinic:[^:]+:clinic-number$/;

const hasType = (identifier: { type?: { coding?: { system?: string | undefined; code?: string | undefined }[] | undefined } | undefined }, code: string) =>
  identifier.type?.coding?.some((coding) => coding.system === IDENTIFIER_TYPE && coding.code === code) === true;

/**
 * A clinic number for a patient whose source gave none we can use: derived
 * from the source's id, so importing the same file again gives the same
 * number (`attempt` moves on when one is already taken here).
 */
export async function derivedClinicNumber(sourceKey: string, attempt = 0): Promise<string> {
  const bytes = fromHex((await sha256Hex(JSON.stringify(['clinic-number', sourceKey, attempt]))).slice(0, 10));
  return generateClinicNumber(() => bytes);
}

function estimatedAge(extensions: readonly ExtensionInput[] | undefined): { years: number; at?: string | undefined } | undefined {
  const estimate = extensions?.find((extension) => extension.url === EXTENSION.estimatedAge);
  const age = estimate?.extension?.find((part) => part.url === 'age')?.valueAge?.value;
  if (age === undefined || !Number.isInteger(age)) return undefined;
  return { years: age, at: estimate?.extension?.find((part) => part.url === 'estimatedAt')?.valueDateTime };
}

/** Where each field of our record came from in the resource, for a problem the store's schema finds. */
function pathOf(field: PropertyKey | undefined, paths: { name: number; telecom: number; nationalId: number; clinicNumber: number }): string {
  switch (field) {
    case 'givenNames':
      return `Patient.name[${paths.name}].given`;
    case 'familyName':
      return `Patient.name[${paths.name}].family`;
    case 'sex':
      return 'Patient.gender';
    case 'birthDate':
      return 'Patient.birthDate';
    case 'estimatedAgeYears':
      return 'Patient._birthDate.extension';
    case 'phone':
      return `Patient.telecom[${paths.telecom}].value`;
    case 'village':
      return 'Patient.address[0].city';
    case 'address':
      return 'Patient.address[0].line';
    case 'nationalId':
      return `Patient.identifier[${paths.nationalId}].value`;
    case 'clinicNumber':
      return `Patient.identifier[${paths.clinicNumber}].value`;
    default:
      return 'Patient';
  }
}

const ownKeys: ReadonlySet<string> = new Set(Object.values(patientValidationKeys));

function storeProblem(error: z.ZodError, paths: Parameters<typeof pathOf>[1]): Problem {
  const issue = error.issues[0];
  const key = issue !== undefined && ownKeys.has(issue.message) ? (issue.message as Problem['key']) : patientValidationKeys.invalid;
  return { path: pathOf(issue?.path[0], paths), key };
}

export async function patientFromFhir(input: PatientInput, context: PatientImportContext): Promise<PatientMapping> {
  const identifiers = input.identifier ?? [];
  const storeIdAt = identifiers.findIndex((identifier) => identifier.system === PATIENT_ID && identifier.value !== undefined);
  const ownNumberAt = identifiers.findIndex((identifier) => identifier.system === clinicNumberSystem(context.clinicId));
  const otherNumberAt = identifiers.findIndex((identifier) => identifier.system !== undefined && otherClinicNumberSystem.test(identifier.system));
  const nationalIdAt = identifiers.findIndex((identifier) => hasType(identifier, 'NI') && identifier.value !== undefined);

  const names = input.name ?? [];
  const nameAt = Math.max(0, names.findIndex((name) => name.use === 'official' || name.use === 'usual'));
  const name = names[nameAt];
  const given = name?.given?.join(' ');
  if (name?.family === undefined || given === undefined) return { ok: false, problem: { path: names.length === 0 ? 'Patient.name' : `Patient.name[${nameAt}]`, key: problem.noName } };

  const registeredAt = input.extension?.find((extension) => extension.url === EXTENSION.registeredAt)?.valueDateTime;
  const estimate = estimatedAge(input._birthDate?.extension);
  const createdAt = estimate?.at ?? registeredAt ?? input.meta?.lastUpdated ?? context.importedAt;
  let birth: { birthDate: string } | { estimatedAgeYears: number };
  if (estimate !== undefined) birth = { estimatedAgeYears: estimate.years };
  else if (input.birthDate === undefined) return { ok: false, problem: { path: 'Patient.birthDate', key: problem.noBirthDate } };
  else if (input.birthDate.length === 10) birth = { birthDate: input.birthDate };
  // Only a year (or a month) is known: as at registration here, the age is an estimate.
  else birth = { estimatedAgeYears: Math.max(0, Number(createdAt.slice(0, 4)) - Number(input.birthDate.slice(0, 4))) };

  const telecomAt = (input.telecom ?? []).findIndex((contact) => contact.system === 'phone' && contact.value !== undefined);
  const address = input.address?.[0];
  const addressLines = address?.line?.join(', ');

  const ownNumber = normalizeClinicNumber(identifiers[ownNumberAt]?.value ?? '');
  const otherNumber = normalizeClinicNumber(identifiers[otherNumberAt]?.value ?? '');
  const usable = (number: string | undefined) => (number !== undefined && isValidClinicNumber(number) ? number : undefined);
  const clinicNumber = usable(ownNumber) ?? usable(otherNumber) ?? (await derivedClinicNumber(context.sourceKey));
  const storeId = identifiers[storeIdAt]?.value;

  const candidate = {
    id: storeId ?? (await derivedId('pat', 'fhir-import', context.sourceKey)),
    clinicNumber,
    givenNames: given,
    familyName: name.family,
    sex: input.gender ?? 'unknown',
    ...birth,
    ...(telecomAt < 0 ? {} : { phone: input.telecom?.[telecomAt]?.value }),
    ...(address?.city === undefined ? {} : { village: address.city }),
    ...(addressLines === undefined || addressLines === '' ? {} : { address: addressLines }),
    ...(nationalIdAt < 0 ? {} : { nationalId: identifiers[nationalIdAt]?.value }),
    createdAt,
    updatedAt: input.meta?.lastUpdated ?? createdAt,
  };
  const parsed = patientSchema.safeParse(candidate);
  if (!parsed.success) {
    return { ok: false, problem: storeProblem(parsed.error, { name: nameAt, telecom: telecomAt, nationalId: nationalIdAt, clinicNumber: ownNumberAt >= 0 ? ownNumberAt : otherNumberAt }) };
  }
  const patient = parsed.data;
  return {
    ok: true,
    value: {
      patient,
      match: {
        storeId,
        clinicNumber: usable(ownNumber),
        nationalId: patient.nationalId,
      },
    },
  };
}
