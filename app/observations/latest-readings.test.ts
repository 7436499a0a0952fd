import { describe, expect, it } from 'vitest';
import { news2 } from '../clinical/news2';
import { vitals, type VitalKind } from '../terminology/vitals';
import { latestByKind, news2Input } from './latest-readings';
import { observationSchema, type RecordedObservation } from './observation';

const at = '2025-06-15T09:30:00+02:00';

let counter = 0;
function observation(kind: VitalKind | 'consciousness', value: number | string, extra: Record<string, unknown> = {}): RecordedObservation {
  const coded =
    kind === 'consciousness'
      ? { kind, code: '67775-7', value }
      : { kind, code: vitals[kind].loinc, value, unit: vitals[kind].unit };
  return observationSchema.parse({
    id: `obs-${++counter}`,
    patientId: 'patient-1',
    effectiveAt: at,
    recordedAt: at,
    recordedBy: 'nurse-7',
    source: { type: 'manual' },
    ...coded,
    ...extra,
  });
}

describe('latestByKind', () => {
  it('keeps the latest measurement of each kind, comparing instants across offsets', () => {
    const early = observation('pulse', 70, { effectiveAt: '2025-06-15T10:00:00+02:00' }); // 08:00Z
    const late = observation('pulse', 90, { effectiveAt: '2025-06-15T09:00:00Z' });
    const temperature = observation('bodyTemperature', 37);
    expect(latestByKind([late, early, temperature])).toEqual({ pulse: late, bodyTemperature: temperature });
    expect(latestByKind([early, late])).toEqual({ pulse: late });
  });

  it('goes by when a value was measured, then by when it was recorded', () => {
    const measuredLater = observation('pulse', 90, { effectiveAt: '2025-06-15T12:00:00Z', recordedAt: '2025-06-15T12:00:00Z' });
    const readBackLater = observation('pulse', 60, { effectiveAt: '2025-06-15T08:00:00Z', recordedAt: '2025-06-15T13:00:00Z' });
    expect(latestByKind([measuredLater, readBackLater]).pulse).toBe(measuredLater);
    const corrected = observation('pulse', 62, { effectiveAt: '2025-06-15T12:00:00Z', recordedAt: '2025-06-15T12:05:00Z' });
    expect(latestByKind([corrected, measuredLater]).pulse).toBe(corrected);
  });

  it('is empty for no observations', () => {
    expect(latestByKind([])).toEqual({});
  });
});

describe('news2Input', () => {
  const t = (hour: number) => `2025-06-15T${String(hour).padStart(2, '0')}:00:00Z`;

  it('takes the latest value of each parameter and air/oxygen and the scale from the latest SpO2', () => {
    const observations = [
      observation('respiratoryRate', 18, { effectiveAt: t(8) }),
      observation('respiratoryRate', 23, { effectiveAt: t(10) }),
      observation('spo2', 90, { effectiveAt: t(8), onOxygen: false, spo2Scale: 1 }),
      observation('spo2', 95, { effectiveAt: t(10), onOxygen: true, spo2Scale: 2 }),
      observation('systolic', 105, { effectiveAt: t(10) }),
      observation('diastolic', 70, { effectiveAt: t(10) }),
      observation('pulse', 112, { effectiveAt: t(10) }),
      observation('consciousness', 'A', { effectiveAt: t(10) }),
      observation('bodyTemperature', 38.4, { effectiveAt: t(10) }),
      observation('bodyWeight', 70, { effectiveAt: t(10) }),
    ];
    const input = news2Input(observations);
    expect(input).toEqual({ respirationRate: 23, spo2: 95, spo2Scale: 2, onOxygen: true, systolic: 105, pulse: 112, consciousness: 'A', temperature: 38.4 });
    // RR 23 (2) + scale-2 SpO2 95 on O2 (2) + oxygen (2) + SBP 105 (1) + pulse 112 (2) + alert (0) + 38.4 (1) = 10
    expect(news2(input)).toMatchObject({ total: 10, complete: true, risk: 'high' });
  });

  it('leaves air/oxygen missing when the latest SpO2 does not say, so the score is incomplete', () => {
    const input = news2Input([observation('spo2', 96, { effectiveAt: t(8), onOxygen: true }), observation('spo2', 97, { effectiveAt: t(9) })]);
    expect(input.spo2).toBe(97);
    expect(input.onOxygen).toBeUndefined();
    expect(news2(input).missing).toContain('airOrOxygen');
  });

  it('ignores observations measured before notBefore', () => {
    const observations = [observation('bodyTemperature', 39.5, { effectiveAt: t(1) }), observation('pulse', 80, { effectiveAt: t(9) })];
    expect(news2Input(observations, { notBefore: t(6) })).toMatchObject({ temperature: undefined, pulse: 80 });
    expect(news2Input(observations)).toMatchObject({ temperature: 39.5, pulse: 80 });
    expect(() => news2Input(observations, { notBefore: 'yesterday' })).toThrow();
  });

  it('refuses observations of more than one patient', () => {
    expect(() => news2Input([observation('pulse', 80), observation('pulse', 90, { patientId: 'patient-2' })])).toThrow();
  });

  it('gives an empty input for no observations', () => {
    expect(news2(news2Input([]))).toMatchObject({ total: 0, complete: false });
  });
});
