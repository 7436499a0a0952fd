import { z } from 'zod';
import { derivedId, fhirIdPattern } from '../fhir/ids';
import type { RecordedObservation } from '../observations/observation';

/**
 * A visit: the readings a nurse confirmed together for one patient (FHIR's
 * Encounter, app/fhir/encounter.ts). Stored as its own sealed record (type
 * `visit`) that lists its readings, rather than each reading naming its
 * visit: a reading's schema is strict, and a workstation that does not know
 * a new field would take every new reading for damaged. Readings stored
 * before visits existed belong to none; an export derives one for them
 * (`legacyEncounterIdOf`).
 */

const fhirId = z.string().regex(fhirIdPattern);
/** With an offset: FHIR requires a time zone on a dateTime that has a time. */
const instant = z.iso.datetime({ offset: true });

/** The most readings one visit lists: as many as one confirmation stores (app/contract/data-api.ts `observations.record`). */
export const maxReadingsPerVisit = 10_000;

export const visitSchema = z
  .object({
    id: fhirId,
    patientId: fhirId,
    /** When its first and last readings were measured. */
    start: instant,
    end: instant,
    /** When the readings were confirmed, and by whom (a user id). */
    recordedAt: instant,
    recordedBy: fhirId,
    observationIds: z.array(fhirId).min(1).max(maxReadingsPerVisit),
  })
  .strict()
  .refine((visit) => Date.parse(visit.start) <= Date.parse(visit.end), { message: 'A visit cannot end before it starts.', path: ['end'] });
export type Visit = z.infer<typeof visitSchema>;

const earliest = (times: readonly string[]) => times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
const latest = (times: readonly string[]) => times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

/** When a visit's readings (at least one) were first and last measured. */
export function measuredSpan(readings: readonly RecordedObservation[]): Pick<Visit, 'start' | 'end'> {
  const times = readings.map((reading) => reading.effectiveAt);
  return { start: earliest(times), end: latest(times) };
}

/**
 * The visits one confirmation makes: one per patient among its readings, in
 * the order the patients first appear, recorded by the person confirming.
 * A visit's id comes from its readings' ids, so a confirmation sent twice
 * (a retry after the worker stopped) names the same visit and stores no
 * second one.
 */
export async function visitsOf(readings: readonly RecordedObservation[], recordedBy: string): Promise<Visit[]> {
  const byPatient = new Map<string, RecordedObservation[]>();
  for (const reading of readings) {
    const own = byPatient.get(reading.patientId);
    if (own) own.push(reading);
    else byPatient.set(reading.patientId, [reading]);
  }
  return Promise.all(
    [...byPatient].map(async ([patientId, own]) => {
      const observationIds = own.map((reading) => reading.id);
      return {
        id: await derivedId('vis', ...observationIds),
        patientId,
        ...measuredSpan(own),
        recordedAt: latest(own.map((reading) => reading.recordedAt)),
        recordedBy,
        observationIds,
      };
    }),
  );
}
