import { afterEach, describe, expect, it } from 'vitest';
import { openRecord } from '../../app/records/sealed-record';
import { visitSchema } from '../../app/visits/visit';
import { closeTestStores, openTestStore, spo2Draft as spo2 } from './test-support';
import { createVault } from './vault';

afterEach(closeTestStores);

async function setup() {
  const { db } = await openTestStore();
  const vault = await createVault(db, { iterations: 1000 });
  await vault.setupClinic({ clinicName: 'Kisiwa Health Centre', displayName: 'Asha Admin', username: 'asha', passphrase: 'tide pools at dawn' });
  if (vault.state.status !== 'unlocked') throw new Error('not unlocked');
  const patient = await vault.patients.register({ givenNames: 'Amina', familyName: 'Diallo', sex: 'female', estimatedAgeYears: 30 });
  return { db, vault, patient, userId: vault.state.session.userId };
}


describe('observations (store)', () => {
  it('stores confirmed readings sealed, and lists them on the chart', async () => {
    const { vault, db, patient, userId } = await setup();
    await vault.observations.record([spo2(patient.id, userId, 96)]);
    const { observations } = await vault.observations.forPatient(patient.id);
    expect(observations).toMatchObject([{ kind: 'spo2', value: 96, unit: '%', source: { type: 'device' } }]);
    const stored = JSON.stringify((await db.records.find({ selector: { type: 'observation' } }).exec()).map((d) => d.toJSON()));
    expect(stored).not.toContain('59408-5');
    expect(stored).not.toContain('CMS50D');
  });

  it('refuses an implausible value with a reason and stores none of the batch', async () => {
    const { vault, patient, userId } = await setup();
    const error = await vault.observations.record([spo2(patient.id, userId, 97, 'obs-ok'), spo2(patient.id, userId, 130, 'obs-bad')]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid' });
    expect(Object.values((error as { fields: Record<string, string> }).fields)).toContain('validation.observation.implausible');
    expect((await vault.observations.forPatient(patient.id)).observations).toEqual([]);
  });

  it('stores the readings confirmed together as one sealed visit, and no second one when they are confirmed again', async () => {
    const { vault, db, patient, userId } = await setup();
    if (vault.state.status !== 'unlocked') throw new Error('not unlocked');
    const { dataKey } = vault.state.session;
    const readings = [spo2(patient.id, userId, 96, 'obs-1'), { ...spo2(patient.id, userId, 95, 'obs-2'), effectiveAt: '2026-11-21T10:03:00Z' }];
    await vault.observations.record(readings);
    await expect(vault.observations.record(readings)).rejects.toMatchObject({ code: 'invalid' });
    const docs = await db.records.find({ selector: { type: 'visit' } }).exec();
    expect(docs).toHaveLength(1);
    expect(docs[0]!.subject).toBe(patient.id);
    expect(docs[0]!.sealed).not.toContain('obs-1');
    const visit = visitSchema.parse(await openRecord(dataKey, docs[0]!.toMutableJSON()));
    expect(visit).toMatchObject({ patientId: patient.id, recordedBy: userId, start: '2026-11-21T10:00:00Z', end: '2026-11-21T10:03:00Z', observationIds: ['obs-1', 'obs-2'] });
  });

  it('audits the creation against the patient', async () => {
    const { vault, patient, userId } = await setup();
    await vault.observations.record([spo2(patient.id, userId, 96)]);
    const entries = await vault.audit.list({ kinds: ['observation.create'] });
    expect(entries).toHaveLength(1);
  });
});
