import type { News2Input } from '../clinical/news2';
import type { ObservationKind, ObservationOf, RecordedObservation } from './observation';

/**
 * The views of a patient's readings the screens and NEWS2 need: the latest
 * of each kind, and the NEWS2 input built from them.
 */

function measuredAt(observation: RecordedObservation): number {
  return Date.parse(observation.effectiveAt);
}

/** Later measurement first; for the same moment, the later confirmation. */
function isLater(candidate: RecordedObservation, current: RecordedObservation): boolean {
  const difference = measuredAt(candidate) - measuredAt(current);
  if (difference !== 0) return difference > 0;
  return Date.parse(candidate.recordedAt) >= Date.parse(current.recordedAt);
}

export type LatestByKind = { [K in ObservationKind]?: ObservationOf<K> };

/**
 * The latest observation of each kind, by when it was measured (not when it
 * was recorded: a stored result read from a device later is still older).
 * Times are compared as instants, so different offsets compare correctly.
 */
export function latestByKind(observations: readonly RecordedObservation[]): LatestByKind {
  const latest: Partial<Record<ObservationKind, RecordedObservation>> = {};
  for (const observation of observations) {
    const current = latest[observation.kind];
    if (current === undefined || isLater(observation, current)) latest[observation.kind] = observation;
  }
  // Each entry was stored under its own kind.
  return latest as LatestByKind;
}

export interface News2InputOptions {
  /**
   * Ignore observations measured before this instant (ISO), so a score is
   * not built from a temperature taken days ago. Without it, the latest of
   * each kind is used however old.
   */
  notBefore?: string;
}

/**
 * The NEWS2 input from one patient's observations: the latest value of each
 * parameter, and air/oxygen and the SpO2 scale from the latest SpO2 reading.
 * Throws when the observations are of more than one patient: a score mixing
 * two patients' values would look valid and be wrong.
 */
export function news2Input(observations: readonly RecordedObservation[], options: News2InputOptions = {}): News2Input {
  const patients = new Set(observations.map((o) => o.patientId));
  if (patients.size > 1) throw new Error('observations of more than one patient');
  const notBefore = options.notBefore === undefined ? undefined : Date.parse(options.notBefore);
  if (notBefore !== undefined && Number.isNaN(notBefore)) throw new Error('notBefore is not a date-time');
  const recent = notBefore === undefined ? observations : observations.filter((o) => measuredAt(o) >= notBefore);
  const latest = latestByKind(recent);
  return {
    respirationRate: latest.respiratoryRate?.value,
    spo2: latest.spo2?.value,
    spo2Scale: latest.spo2?.spo2Scale,
    onOxygen: latest.spo2?.onOxygen,
    systolic: latest.systolic?.value,
    pulse: latest.pulse?.value,
    consciousness: latest.consciousness?.value,
    temperature: latest.bodyTemperature?.value,
  };
}
