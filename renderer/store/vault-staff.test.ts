import { afterEach, describe, expect, it } from 'vitest';
import { auditKindOf } from '../../app/audit/audit-event';
import { closeTestStores, openTestStore } from './test-support';
import { createVault } from './vault';

afterEach(closeTestStores);

const amina = { givenNames: 'Amina', familyName: 'Diallo', sex: 'female', birthDate: '1990-04-12', phone: '+255 712 345 678', village: 'Kisiwa' };

async function setup() {
  const { db } = await openTestStore();
  const vault = await createVault(db, { iterations: 1000 });
  await vault.setupClinic({ clinicName: 'Kisiwa Health Centre', displayName: 'Asha Admin', username: 'asha', passphrase: 'tide pools at dawn' });
  return { db, vault };
}

describe('staff changes through the vault', () => {
  it('keeps a reset account locked until its owner chooses a new passphrase, and audits the role change and the reset', async () => {
    const { vault } = await setup();
    const nurse = await vault.keyring.addStaff({ displayName: 'Neema Nurse', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
    await vault.keyring.setRole(nurse.id, 'clinician');
    await vault.keyring.resetPassphrase(nurse.id, 'a temporary phrase');
    const kinds = (await vault.audit.list()).map((entry) => auditKindOf(entry.event));
    expect(kinds).toEqual(expect.arrayContaining(['staff.create', 'staff.role-change', 'staff.reset-passphrase']));

    await vault.lock();
    await expect(vault.login('neema', 'a temporary phrase')).rejects.toMatchObject({ code: 'passphrase_change_required' });
    expect(vault.state.status).toBe('locked');
    await vault.login('neema', 'a temporary phrase', undefined, 'neema chose this');
    expect(vault.state).toMatchObject({ status: 'unlocked', session: { username: 'neema', role: 'clinician' } });
  });
});

describe('the audit page’s patient names', () => {
  it('are looked up from the open records without opening (or auditing) a chart', async () => {
    const { vault, db } = await setup();
    const patient = await vault.patients.register(amina);
    const before = await db.records.count({ selector: { type: 'audit' } }).exec();
    const labels = vault.audit.patientLabels([patient.id, 'pat-not-here']);
    expect(labels.get(patient.id)).toMatchObject({ familyName: 'Diallo', givenNames: 'Amina', clinicNumber: patient.clinicNumber });
    expect(labels.has('pat-not-here')).toBe(false);
    expect(await db.records.count({ selector: { type: 'audit' } }).exec()).toBe(before);
  });
});
