import type { Encounter, Location, Organization, Reference } from '@medplum/fhirtypes';
import type { Visit } from '../visits/visit';
import { toFhirInstant } from './date-time';
import { derivedId, requireFhirId } from './ids';
import { ACT_CODE, ENCOUNTER_ID, PARTICIPATION_TYPE } from './systems';

/**
 * A visit as a FHIR Encounter: the readings a nurse captured together for one
 * patient. FHIR links them the other way round (each Observation's
 * `encounter`), so the readings' ids are not repeated here.
 */

export interface EncounterContext {
  /** Defaults to the visit's store id, which must then be a valid FHIR id. */
  id?: string | undefined;
  location?: Reference<Location> | undefined;
  serviceProvider?: Reference<Organization> | undefined;
}

/**
 * Readings stored before visits existed get one derived per patient, person
 * and moment of confirmation, so every export gives them the same Encounter.
 */
export function legacyEncounterIdOf(reading: { patientId: string; recordedBy: string; recordedAt: string }): Promise<string> {
  return derivedId('enc', reading.patientId, reading.recordedBy, reading.recordedAt);
}

export function toFhirEncounter(visit: Visit, context: EncounterContext = {}): Encounter {
  return {
    resourceType: 'Encounter',
    id: requireFhirId(context.id ?? visit.id, 'visit id'),
    identifier: [{ system: ENCOUNTER_ID, value: visit.id }],
    // Readings are stored once confirmed: the visit they belong to is over.
    status: 'finished',
    // Ambulatory: the patient walked in (a rural clinic has no wards).
    class: { system: ACT_CODE, code: 'AMB', display: 'ambulatory' },
    subject: { reference: `Patient/${requireFhirId(visit.patientId, 'patient id')}` },
    participant: [
      {
        type: [{ coding: [{ system: PARTICIPATION_TYPE, code: 'PPRF', display: 'primary performer' }] }],
        individual: { reference: `Practitioner/${requireFhirId(visit.recordedBy, 'recorded-by id')}` },
      },
    ],
    period: { start: toFhirInstant(visit.start), end: toFhirInstant(visit.end) },
    ...(context.location === undefined ? {} : { location: [{ location: context.location }] }),
    ...(context.serviceProvider === undefined ? {} : { serviceProvider: context.serviceProvider }),
  };
}
