import type { Address, Element, Extension, Identifier, Organization, Patient as FhirPatient, Reference } from '@medplum/fhirtypes';
import type { Patient } from '../patients/patient';
import { toFhirInstant } from './date-time';
import { fhirIdFor, requireFhirId } from './ids';
import { clinicNumberSystem, EXTENSION, IDENTIFIER_TYPE, PATIENT_ID, UCUM } from './systems';

/**
 * A registered patient as a FHIR Patient: the clinic number (in the
 * clinic's own identifier system), the national ID, names, sex, date of birth
 * or estimated age, phone, village and address.
 */

/**
 * @medplum/fhirtypes has no properties for primitive extensions (`_birthDate`),
 * which FHIR JSON puts beside the primitive: this is Patient with that one.
 */
export type PatientResource = FhirPatient & { _birthDate?: Element };

export interface PatientContext {
  /** The clinic that registered the patient: its clinic numbers are its own. */
  clinicId: string;
  /** The FHIR id (`patientFhirIdOf`); defaults to the store id, which must then be a valid FHIR id. */
  id?: string | undefined;
  /** The national ID's identifier system, when the clinic's country has one to name. */
  nationalIdSystem?: string | undefined;
  /** The clinic's Organization. */
  managingOrganization?: Reference<Organization> | undefined;
}

/** The store id when FHIR allows it, else one derived from it. Readings refer to the same id (theirs are always valid). */
export function patientFhirIdOf(patient: Pick<Patient, 'id'>): Promise<string> {
  return fhirIdFor('pat', patient.id);
}

function identifiers(patient: Patient, context: PatientContext): Identifier[] {
  return [
    {
      use: 'usual',
      type: { coding: [{ system: IDENTIFIER_TYPE, code: 'MR', display: 'Medical record number' }], text: 'Clinic number' },
      system: clinicNumberSystem(context.clinicId),
      value: patient.clinicNumber,
      ...(context.managingOrganization === undefined ? {} : { assigner: context.managingOrganization }),
    },
    ...(patient.nationalId === undefined
      ? []
      : [
          {
            use: 'official' as const,
            type: { coding: [{ system: IDENTIFIER_TYPE, code: 'NI', display: 'National unique individual identifier' }], text: 'National ID' },
            ...(context.nationalIdSystem === undefined ? {} : { system: context.nationalIdSystem }),
            value: patient.nationalId,
          },
        ]),
    // The store id, for an import to match on (and to find the record when its FHIR id was derived).
    { use: 'secondary', system: PATIENT_ID, value: patient.id },
  ];
}

/**
 * Nobody knew the date of birth: `birthDate` is the year only (the year of
 * registration minus the estimate, which may be a year off either way), and
 * the estimate itself with when it was made travels on `_birthDate`, so an
 * import restores the age exactly and a receiver sees the year is estimated.
 * The registration year is read from the stored time as written (the
 * clinic's local date), not from this machine's time zone.
 */
function estimatedBirthDate(estimatedAgeYears: number, createdAt: string): Pick<PatientResource, 'birthDate' | '_birthDate'> {
  const year = Number(createdAt.slice(0, 4)) - estimatedAgeYears;
  const estimate: Extension = {
    url: EXTENSION.estimatedAge,
    extension: [
      { url: 'age', valueAge: { value: estimatedAgeYears, unit: 'years', system: UCUM, code: 'a' } },
      { url: 'estimatedAt', valueDateTime: toFhirInstant(createdAt) },
    ],
  };
  return { birthDate: String(year).padStart(4, '0'), _birthDate: { extension: [estimate] } };
}

function address(patient: Patient): Address[] {
  if (patient.village === undefined && patient.address === undefined) return [];
  return [
    {
      use: 'home',
      ...(patient.address === undefined ? {} : { line: [patient.address] }),
      // A village is where a rural patient is found; FHIR's city is "city, town, village, ...".
      ...(patient.village === undefined ? {} : { city: patient.village }),
    },
  ];
}

export function toFhirPatient(patient: Patient, context: PatientContext): PatientResource {
  const birth =
    patient.birthDate !== undefined
      ? { birthDate: patient.birthDate }
      : patient.estimatedAgeYears !== undefined
        ? estimatedBirthDate(patient.estimatedAgeYears, patient.createdAt)
        : {};
  const addresses = address(patient);
  return {
    resourceType: 'Patient',
    id: requireFhirId(context.id ?? patient.id, 'patient id'),
    extension: [{ url: EXTENSION.registeredAt, valueDateTime: toFhirInstant(patient.createdAt) }],
    identifier: identifiers(patient, context),
    name: [
      {
        use: 'official',
        text: `${patient.givenNames} ${patient.familyName}`,
        family: patient.familyName,
        // Stored with single spaces (app/patients/patient.ts), so splitting and joining gives the same text back.
        given: patient.givenNames.split(' '),
      },
    ],
    ...(patient.phone === undefined ? {} : { telecom: [{ system: 'phone' as const, value: patient.phone }] }),
    // The stored sexes are FHIR's administrative genders, word for word.
    gender: patient.sex,
    ...birth,
    ...(addresses.length === 0 ? {} : { address: addresses }),
    ...(context.managingOrganization === undefined ? {} : { managingOrganization: context.managingOrganization }),
  };
}
