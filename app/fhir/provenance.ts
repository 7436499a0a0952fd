import type { Device, Location, Organization, Provenance, Reference } from '@medplum/fhirtypes';
import { toFhirInstant } from './date-time';
import { derivedId, requireFhirId } from './ids';
import { DATA_OPERATION, PARTICIPATION_TYPE, PROVENANCE_PARTICIPANT_TYPE } from './systems';

/**
 * Who entered a record, when, and on which workstation: what a district
 * reviewer asks of an exported value, and what no other exported element
 * says (an Observation's performer is who confirmed it, not the machine).
 */

export interface ProvenanceInput {
  /** The exported resources the act produced (a reading's Observation, a patient). */
  target: readonly Reference[];
  /** When it was recorded (ISO, with offset). */
  recorded: string;
  activity: 'create' | 'update';
  /** The staff member who entered it. */
  userId: string;
  /** The workstation's Device (`workstationDeviceIdOf`). */
  workstation: Reference<Device>;
}

export interface ProvenanceContext {
  id: string;
  /** The clinic the staff member acted for. */
  organization?: Reference<Organization> | undefined;
  location?: Reference<Location> | undefined;
}

/** One Provenance per act, so its id comes from what was done to what, and when. */
export function provenanceIdOf(input: Pick<ProvenanceInput, 'target' | 'recorded' | 'activity'>): Promise<string> {
  return derivedId('prov', input.activity, input.recorded, ...input.target.map((target) => target.reference ?? ''));
}

const activities = {
  create: { system: DATA_OPERATION, code: 'CREATE', display: 'create' },
  update: { system: DATA_OPERATION, code: 'UPDATE', display: 'revise' },
} as const;

export function toFhirProvenance(input: ProvenanceInput, context: ProvenanceContext): Provenance {
  if (input.target.length === 0) throw new Error('a provenance needs a target');
  return {
    resourceType: 'Provenance',
    id: requireFhirId(context.id, 'provenance id'),
    target: [...input.target],
    recorded: toFhirInstant(input.recorded),
    activity: { coding: [{ ...activities[input.activity] }] },
    ...(context.location === undefined ? {} : { location: context.location }),
    agent: [
      {
        type: { coding: [{ system: PROVENANCE_PARTICIPANT_TYPE, code: 'enterer', display: 'Enterer' }] },
        who: { reference: `Practitioner/${requireFhirId(input.userId, 'user id')}` },
        ...(context.organization === undefined ? {} : { onBehalfOf: context.organization }),
      },
      {
        // No provenance participant type names the machine data was entered on; v3's "device" does.
        type: { coding: [{ system: PARTICIPATION_TYPE, code: 'DEV', display: 'device' }], text: 'Workstation' },
        who: input.workstation,
      },
    ],
  };
}
