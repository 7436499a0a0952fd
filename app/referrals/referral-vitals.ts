import { news2 } from '../clinical/news2';
import { news2Window } from '../clinical/news2-window';
import { latestByKind } from '../observations/latest-readings';
import { consciousnessCode, observationKinds, type RecordedObservation } from '../observations/observation';
import { vitals } from '../terminology/vitals';
import type { Referral, ReferralVital } from './referral';

/**
 * What a referral carries of the patient's state when it is made: the latest
 * reading of each kind measured within the clinic's NEWS2 window (older ones
 * would mislead the receiving side), and NEWS2 from those same readings, as
 * the chart shows it. `news2` is null when nothing NEWS2 scores was measured
 * in the window.
 */
export function referralVitals(observations: readonly RecordedObservation[], options: { now: number; windowHours: number }): Pick<Referral, 'news2' | 'vitals'> {
  const window = news2Window(observations, options);
  const cutoff = Date.parse(window.notBefore);
  const latest = latestByKind(observations.filter((observation) => Date.parse(observation.effectiveAt) >= cutoff));
  const carried = observationKinds.flatMap((kind): ReferralVital[] => {
    const reading = latest[kind];
    if (reading === undefined) return [];
    if (reading.kind === 'consciousness') return [{ code: consciousnessCode.loinc, label: consciousnessCode.display, value: reading.value, unit: '', effectiveAt: reading.effectiveAt, readingId: reading.id }];
    const comparator = 'comparator' in reading ? reading.comparator : undefined;
    return [{ code: reading.code, label: vitals[reading.kind].display, value: reading.value, ...(comparator ? { comparator } : {}), unit: reading.unit, effectiveAt: reading.effectiveAt, readingId: reading.id }];
  });
  const score = news2(window.input);
  const measured = score.parameters.length > 0;
  return { news2: measured ? { total: score.total, risk: score.risk, anySingleThree: score.anySingleThree, complete: score.complete } : null, vitals: carried };
}
