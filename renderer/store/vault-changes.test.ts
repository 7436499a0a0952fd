import { afterEach, describe, expect, it } from 'vitest';
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
});
