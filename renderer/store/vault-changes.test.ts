import { afterEach, describe, expect, it } from 'vitest';
import { directoryEntrySchema, entryFromOsm } from '../../app/facilities/directory-entry';
import { createVault } from './vault';
import { adminInput, closeTestStores, openTestStore } from './test-support';

afterEach(closeTestStores);

const amina = { givenNames: 'Amina', familyName: 'Diallo', sex: 'female', birthDate: '1990-04-12' };
/** Longer than the vault's catch-up delay after the last change. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe('vault.onRecordsChanged', () => {
  it('tells the screens about changed patients, but not about the audit entry that opening a chart writes', async () => {
    const { db } = await openTestStore();
    const vault = await createVault(db, { iterations: 1000 });
    await vault.setupClinic(adminInput);
    let calls = 0;
    vault.onRecordsChanged(() => calls++);

    const patient = await vault.patients.register(amina);
    await settle();
    expect(calls).toBe(1);

    // A screen refetching on this would write another entry, and refetch again, forever.
    await vault.patients.get(patient.id);
    await settle();
    expect(calls).toBe(1);
    expect(await db.records.count({ selector: { type: 'audit' } }).exec()).toBeGreaterThan(0);
  });

  it('tells the screens when the hub’s facility directory changes here, so the map and referrals show it', async () => {
    const { db } = await openTestStore();
    const vault = await createVault(db, { iterations: 1000 });
    await vault.setupClinic(adminInput);
    let calls = 0;
    vault.onRecordsChanged(() => calls++);
    const confirmedAt = '2026-11-01T08:00:00.000Z';
    // As a pull from the hub stores it.
    await db.facilities.insert(directoryEntrySchema.parse({ ...entryFromOsm({ id: 'node/42', kind: 'hospital', name: 'District Hospital', lat: -13.9, lon: 33.7, capabilities: [], confirmedAt, confirmedBy: 'm' }, confirmedAt), hlc: '001790000000000-00000-hub' }));
    await settle();
    expect(calls).toBe(1);
  });
});
