import type { Device, Location, Observation, Organization, Reference, Resource } from '@medplum/fhirtypes';
import { news2 } from '../../clinical/news2';
import { latestByKind, news2Input } from '../../observations/latest-readings';
import type { ObservationKind, RecordedObservation } from '../../observations/observation';
import { measuredSpan, type Visit } from '../../visits/visit';
import { toFhirEncounter } from '../encounter';
import { news2ObservationId, toFhirNews2Observation } from '../news2-observation';
import { groupReadings, toFhirObservations } from '../observation';
import { practitionerIdOf } from '../practitioner';
import { provenanceIdOf, toFhirProvenance } from '../provenance';
import { referenceTo } from '../reference';

/**
 * One visit as FHIR: its Encounter, its readings' Observations pointing at
 * it, the visit's NEWS2 score when every parameter was measured in it (an
 * incomplete score is only a minimum, and a receiver would read it as the
 * patient's score), and the Provenance of the act: who confirmed what, when,
 * on which workstation. A NEWS2 score is computed from the visit's own
 * readings, never from older ones: it says what was seen at this visit.
 */

export interface VisitExportContext {
  /** The workstation's Device that stored the visit (`workstationDeviceIdOf`). */
  workstation: Reference<Device>;
  organization: Reference<Organization>;
  location: Reference<Location>;
}

/** The readings NEWS2 scores (air or oxygen comes with SpO2). */
const scoredKinds: readonly ObservationKind[] = ['respiratoryRate', 'spo2', 'systolic', 'pulse', 'consciousness', 'bodyTemperature'];

/** `readings` are the visit's own, in any order; readings it does not list are an error (they belong to another visit). */
export async function visitResources(visit: Visit, readings: readonly RecordedObservation[], context: VisitExportContext): Promise<Resource[]> {
  const listed = new Set(visit.observationIds);
  if (readings.some((reading) => !listed.has(reading.id) || reading.patientId !== visit.patientId)) throw new Error('a reading given with a visit is not one of its readings');
  const encounter = toFhirEncounter(visit, { location: context.location, serviceProvider: context.organization });
  const observations = await toFhirObservations(readings, { encounter: referenceTo(encounter) });
  // toFhirObservations makes one Observation per group, in the groups' order.
  const observationOf = new Map<string, Observation>();
  groupReadings(readings).forEach((group, index) => {
    const observation = observations[index]!;
    if (group.type === 'single') observationOf.set(group.reading.id, observation);
    else observationOf.set(group.systolic.id, observation).set(group.diastolic.id, observation);
  });

  const resources: Resource[] = [encounter, ...observations];
  const score = news2(news2Input(readings));
  if (score.complete) {
    const latest = latestByKind(readings);
    const used = scoredKinds.flatMap((kind) => latest[kind] ?? []);
    const derivedFrom = [...new Set(used.map((reading) => observationOf.get(reading.id)!))].map(referenceTo);
    resources.push(
      toFhirNews2Observation(score, {
        id: await news2ObservationId(encounter.id!),
        patientId: visit.patientId,
        encounter: referenceTo(encounter),
        effectiveAt: measuredSpan(used).end,
        derivedFrom,
        performer: { reference: `Practitioner/${await practitionerIdOf({ id: visit.recordedBy })}` },
      }),
    );
  }
  const provenanceInput = { target: resources.map(referenceTo), recorded: visit.recordedAt, activity: 'create' as const, userId: visit.recordedBy, workstation: context.workstation };
  resources.push(toFhirProvenance(provenanceInput, { id: await provenanceIdOf(provenanceInput), organization: context.organization, location: context.location }));
  return resources;
}
