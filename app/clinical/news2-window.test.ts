import { describe, expect, it } from 'vitest';
import { observationSchema, type RecordedObservation } from '../observations/observation';
import { vitals, type VitalKind } from '../terminology/vitals';
import { news2 } from './news2';
import { news2Window } from './news2-window';

let counter = 0;
function observation(kind: VitalKind | 'consciousness', value: number | string, effectiveAt: string, extra: Record<string, unknown> = {}): RecordedObservation {
  const coded = kind === 'consciousness' ? { kind, code: '67775-7', value } : { kind, code: vitals[kind].loinc, value, unit: vitals[kind].unit };
  return observationSchema.parse({ id: `obs-${++counter}`, patientId: 'patient-1', effectiveAt, recordedAt: effectiveAt, recordedBy: 'nurse-7', source: { type: 'manual' }, ...coded, ...extra });
}

const now = Date.parse('2026-05-12T12:00:00Z');
const hoursAgo = (h: number) => new Date(now - h * 3_600_000).toISOString();

describe('NEWS2 window', () => {
  it('scores only values from the last 24 hours and says which older ones it left out, and when they were taken', () => {
    const observations = [
      observation('bodyTemperature', 39.5, hoursAgo(30)),
      observation('pulse', 80, hoursAgo(2)),
      observation('spo2', 97, hoursAgo(1), { onOxygen: false }),
    ];
    const window = news2Window(observations, { now, windowHours: 24 });
    expect(window.input).toMatchObject({ temperature: undefined, pulse: 80, spo2: 97, onOxygen: false });
    expect(window.takenAt).toEqual({ pulse: hoursAgo(2), spo2: hoursAgo(1), airOrOxygen: hoursAgo(1) });
    expect(window.tooOld).toEqual({ temperature: hoursAgo(30) });
    // The 39.5 °C of yesterday would score 2: it must not.
    expect(news2(window.input).parameters.find((p) => p.parameter === 'temperature')).toBeUndefined();
  });

  it('follows the clinic’s window: a shorter one leaves out more', () => {
    const observations = [observation('pulse', 120, hoursAgo(5)), observation('respiratoryRate', 18, hoursAgo(1))];
    expect(news2Window(observations, { now, windowHours: 24 }).input.pulse).toBe(120);
    const short = news2Window(observations, { now, windowHours: 4 });
    expect(short.input.pulse).toBeUndefined();
    expect(short.tooOld).toEqual({ pulse: hoursAgo(5) });
    expect(short.notBefore).toBe(hoursAgo(4));
  });

  it('uses the newer value when an old and a recent one exist, and reports nothing as too old', () => {
    const observations = [observation('systolic', 85, hoursAgo(40)), observation('systolic', 130, hoursAgo(3))];
    const window = news2Window(observations, { now, windowHours: 24 });
    expect(window.input.systolic).toBe(130);
    expect(window.tooOld).toEqual({});
  });

  it('does not count air/oxygen as measured when the SpO2 reading did not say', () => {
    const window = news2Window([observation('spo2', 95, hoursAgo(1))], { now, windowHours: 24 });
    expect(window.takenAt).toEqual({ spo2: hoursAgo(1) });
    expect(window.tooOld).toEqual({});
  });
});
