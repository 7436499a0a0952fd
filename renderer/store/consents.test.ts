import { afterEach, describe, expect, it } from 'vitest';
import { adminVault, closeTestStores } from './test-support';

afterEach(closeTestStores);

async function setup() {
  const { db, vault, userId } = await adminVault();
  const patient = await vault.patients.register({ givenNames: 'Amina', familyName: 'Diallo', sex: 'female', estimatedAgeYears: 30 });
  return { db, vault, patient, userId };
}

describe('research consent on the chart (store)', () => {
  it('records each decision sealed, lists them newest first, and audits each against the patient', async () => {
    const { vault, db, patient, userId } = await setup();
    const given = await vault.consents.record(patient.id, { status: 'active', date: '2026-01-05' });
    expect(given).toMatchObject({ patientId: patient.id, status: 'active', date: '2026-01-05', recordedBy: userId, policy: 'urn:clinic-workstation:policy:odh-research:v1' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await vault.consents.record(patient.id, { status: 'withdrawn', date: '2026-02-01' });
    const { consents, unreadable } = await vault.consents.forPatient(patient.id);
    expect(consents.map((c) => c.status)).toEqual(['withdrawn', 'active']);
    expect(unreadable).toBe(0);
    const stored = JSON.stringify((await db.records.find({ selector: { type: 'consent' } }).exec()).map((doc) => doc.toJSON()));
    expect(stored).not.toMatch(/withdrawn|odh-research|2026-01-05/);
    const audited = await vault.audit.list({ kinds: ['consent.record'] });
    expect(audited).toHaveLength(2);
  });

  it('refuses a decision it does not know or a day to come, naming the field, and stores nothing', async () => {
    const { vault, patient } = await setup();
    await expect(vault.consents.record(patient.id, { status: 'maybe', date: '2026-01-05' })).rejects.toMatchObject({ code: 'invalid', fields: { status: 'consent.invalid.status' } });
    await expect(vault.consents.record(patient.id, { status: 'active', date: '2999-01-01' })).rejects.toMatchObject({ code: 'invalid', fields: { date: 'consent.invalid.date' } });
    await expect(vault.consents.record('pat-nobody', { status: 'active', date: '2026-01-05' })).rejects.toMatchObject({ code: 'not_found' });
    expect((await vault.consents.forPatient(patient.id)).consents).toEqual([]);
  });
});
