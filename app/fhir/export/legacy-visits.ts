import type { RecordedObservation } from '../../observations/observation';
import { measuredSpan, type Visit } from '../../visits/visit';
import { legacyEncounterIdOf } from '../encounter';

/**
 * Visits for readings no stored visit lists (stored before visits existed):
 * readings of one patient confirmed by one person at one moment were one
 * confirmation, so they make one visit, with an id derived from those three
 * so every export gives it the same Encounter.
 */
export async function legacyVisitsOf(readings: readonly RecordedObservation[], visits: readonly Visit[]): Promise<Visit[]> {
  const listed = new Set(visits.flatMap((visit) => visit.observationIds));
  const groups = new Map<string, RecordedObservation[]>();
  for (const reading of readings) {
    if (listed.has(reading.id)) continue;
    const key = JSON.stringify([reading.patientId, reading.recordedBy, reading.recordedAt]);
    const group = groups.get(key);
    if (group) group.push(reading);
    else groups.set(key, [reading]);
  }
  return Promise.all(
    [...groups.values()].map(async (group) => {
      const first = group[0]!;
      return {
        id: await legacyEncounterIdOf(first),
        patientId: first.patientId,
        ...measuredSpan(group),
        recordedAt: first.recordedAt,
        recordedBy: first.recordedBy,
        observationIds: group.map((reading) => reading.id),
      };
    }),
  );
}
