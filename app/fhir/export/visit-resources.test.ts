import type { Observation, Provenance, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { visitsOf } from '../../visits/visit';
import { fromDevice, nurseId, oximeter, reading } from '../test-support';
import { legacyVisitsOf } from './legacy-visits';
import { visitResources } from './visit-resources';

const context = { workstation: { reference: 'Device/ws-1' }, organization: { reference: 'Organization/clinic-1' }, location: { reference: 'Location/loc-1' } };

/** A full NEWS2 set, the blood pressure as two halves of one reading. */
const fullSet = () => [
  reading('respiratoryRate', 23),
  reading('spo2', 95, { ...fromDevice(oximeter), onOxygen: true, spo2Scale: 1 }),
  reading('pulse', 112, fromDevice(oximeter)),
  reading('systolic', 105),
  reading('diastolic', 70),
  reading('consciousness', 'A'),
  reading('bodyTemperature', 38.4),
];

const ofType = <T extends Resource>(resources: readonly Resource[], type: T['resourceType']) => resources.filter((resource): resource is T => resource.resourceType === type);

describe('a visit’s resources', () => {
  it('are its Encounter, its readings pointing at it (blood pressure as one panel), its NEWS2 score from those readings, and who recorded them where', async () => {
    const readings = fullSet();
    const [visit] = await visitsOf(readings, nurseId);
    const resources = await visitResources(visit!, readings, context);
    expect(resources.map((resource) => resource.resourceType)).toEqual(['Encounter', ...Array<string>(6).fill('Observation'), 'Observation', 'Provenance']);
    const observations = ofType<Observation>(resources, 'Observation');
    for (const observation of observations) expect(observation.encounter).toEqual({ reference: `Encounter/${visit!.id}` });
    const score = observations.find((observation) => observation.code.coding?.[0]?.code === '1104051000000101')!;
    // RR 23 → 2, SpO2 95 on scale 1 → 1, oxygen → 2, systolic 105 → 1, pulse 112 → 2, alert → 0, 38.4 °C → 1.
    expect(score.valueQuantity?.value).toBe(9);
    const panel = observations.find((observation) => observation.code.coding?.[0]?.code === '85354-9')!;
    expect(score.derivedFrom).toHaveLength(6);
    expect(score.derivedFrom).toContainEqual({ reference: `Observation/${panel.id}` });
    expect(score.performer).toEqual([{ reference: `Practitioner/${nurseId}` }]);
    const [provenance] = ofType<Provenance>(resources, 'Provenance');
    expect(provenance!.target).toHaveLength(resources.length - 1);
    expect(provenance!.agent[0]?.who).toEqual({ reference: `Practitioner/${nurseId}` });
    expect(JSON.stringify(provenance)).toContain('Device/ws-1');
  });

  it('leave the NEWS2 score out when a parameter was not measured at that visit', async () => {
    const readings = fullSet().filter((r) => r.kind !== 'bodyTemperature');
    const [visit] = await visitsOf(readings, nurseId);
    const resources = await visitResources(visit!, readings, context);
    expect(ofType<Observation>(resources, 'Observation').some((observation) => observation.code.coding?.[0]?.code === '1104051000000101')).toBe(false);
  });

  it('refuse a reading the visit does not list', async () => {
    const readings = fullSet();
    const [visit] = await visitsOf(readings.slice(1), nurseId);
    await expect(visitResources(visit!, readings, context)).rejects.toThrow(/not one of its readings/);
  });
});

describe('readings stored before visits existed', () => {
  it('make one derived visit per patient, person and moment of confirmation, the same on every export; listed readings are left to their visit', async () => {
    const first = [reading('pulse', 80), reading('spo2', 97, { effectiveAt: '2025-06-15T09:25:00+02:00' })];
    const later = [reading('pulse', 84, { recordedAt: '2025-06-16T09:30:00+02:00', effectiveAt: '2025-06-16T09:29:00+02:00' })];
    const listed = [reading('pulse', 90)];
    const visits = await visitsOf(listed, nurseId);
    const legacy = await legacyVisitsOf([...first, ...later, ...listed], visits);
    expect(legacy.map((visit) => visit.observationIds)).toEqual([first.map((r) => r.id), later.map((r) => r.id)]);
    expect(legacy[0]).toMatchObject({ start: '2025-06-15T09:25:00+02:00', end: '2025-06-15T09:30:00+02:00' });
    expect((await legacyVisitsOf([...first, ...later], visits)).map((visit) => visit.id)).toEqual(legacy.map((visit) => visit.id));
  });
});
