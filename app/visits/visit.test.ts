import { describe, expect, it } from 'vitest';
import { nurseId, patientId, reading } from '../fhir/test-support';
import { visitSchema, visitsOf } from './visit';

const otherPatient = 'pat-0f0e0d0c0b0a09080706050403020100';

describe('visits', () => {
  it('makes one visit per patient from a confirmation, spanning its readings’ times, listing them in order', async () => {
    const pulse = reading('pulse', 72, { effectiveAt: '2025-06-15T09:31:00+02:00' });
    const spo2 = reading('spo2', 97, { effectiveAt: '2025-06-15T09:30:00+02:00', recordedAt: '2025-06-15T09:40:00+02:00' });
    const weight = reading('bodyWeight', 61.5, { patientId: otherPatient, effectiveAt: '2025-06-15T10:05:00+02:00' });
    const visits = await visitsOf([pulse, weight, spo2], nurseId);
    expect(visits).toEqual([
      { id: expect.stringMatching(/^vis-[0-9a-f]{32}$/) as unknown, patientId, start: spo2.effectiveAt, end: pulse.effectiveAt, recordedAt: '2025-06-15T09:40:00+02:00', recordedBy: nurseId, observationIds: [pulse.id, spo2.id] },
      { id: expect.stringMatching(/^vis-/) as unknown, patientId: otherPatient, start: weight.effectiveAt, end: weight.effectiveAt, recordedAt: weight.recordedAt, recordedBy: nurseId, observationIds: [weight.id] },
    ]);
    for (const visit of visits) expect(visitSchema.safeParse(visit).success).toBe(true);
  });

  it('names the same visit when the same readings are confirmed again, and another for other readings', async () => {
    const readings = [reading('pulse', 72), reading('spo2', 97)];
    const [first] = await visitsOf(readings, nurseId);
    const [again] = await visitsOf(readings, nurseId);
    const [other] = await visitsOf([readings[0]!], nurseId);
    expect(again!.id).toBe(first!.id);
    expect(other!.id).not.toBe(first!.id);
  });

  it('refuses a stored visit that ends before it starts, lists no readings, or carries fields it does not know', async () => {
    const [visit] = await visitsOf([reading('pulse', 72)], nurseId);
    expect(visitSchema.safeParse({ ...visit, end: '2025-06-15T09:00:00+02:00' }).success).toBe(false);
    expect(visitSchema.safeParse({ ...visit, observationIds: [] }).success).toBe(false);
    expect(visitSchema.safeParse({ ...visit, note: 'x' }).success).toBe(false);
    expect(visitSchema.safeParse({ ...visit, start: '2025-06-15T09:30:00' }).success).toBe(false);
  });
});
