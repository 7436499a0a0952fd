import { afterEach, describe, expect, it } from 'vitest';
import { defaultClinicSettings } from '../../app/settings/clinic-settings';
import { sealedRecordSchema } from '../../app/records/sealed-record';
import { adminInput, closeTestStores, openTestStore } from './test-support';
import { createVault } from './vault';

afterEach(closeTestStores);

async function setup() {
  const { db } = await openTestStore();
  const vault = await createVault(db, { iterations: 1000 });
  await vault.setupClinic(adminInput);
  return { db, vault };
}

const chosen = { idleLockMinutes: 12, dateOrder: 'year-first', glucoseUnit: 'mmol/L', news2WindowHours: 12, glucometerMaxAgeDays: 3 } as const;

describe('clinic settings (store)', () => {
  it('gives the defaults until an admin saves, then the saved choice to everyone, sealed', async () => {
    const { db, vault } = await setup();
    expect(await vault.clinicSettings.get()).toEqual({ status: 'default', settings: defaultClinicSettings });
    await vault.clinicSettings.update(chosen);
    await vault.keyring.addStaff({ displayName: 'Neema Nurse', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
    await vault.lock();
    await vault.login('neema', 'mango season rain');
    expect(await vault.clinicSettings.get()).toMatchObject({ status: 'saved', settings: chosen });

    // One sealed record of its own type, in the replicated collection, in the form sync sends.
    const docs = (await db.records.find({ selector: { type: 'clinicSettings' } }).exec()).map((d) => d.toMutableJSON());
    expect(docs).toHaveLength(1);
    expect(sealedRecordSchema.safeParse(docs[0]).success).toBe(true);
    expect(JSON.stringify(docs)).not.toMatch(/year-first|mmol/);
  });

  it('refuses a nurse, in the service, and changes nothing', async () => {
    const { vault } = await setup();
    await vault.keyring.addStaff({ displayName: 'Neema Nurse', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
    await vault.lock();
    await vault.login('neema', 'mango season rain');
    await expect(vault.clinicSettings.update(chosen)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await vault.clinicSettings.get()).status).toBe('default');
  });

  it('refuses reading and changing while locked', async () => {
    const { vault } = await setup();
    await vault.lock();
    await expect(vault.clinicSettings.get()).rejects.toMatchObject({ code: 'locked' });
    await expect(vault.clinicSettings.update(chosen)).rejects.toMatchObject({ code: 'locked' });
  });

  it('refuses out-of-range values field by field, storing nothing', async () => {
    const { vault } = await setup();
    await expect(vault.clinicSettings.update({ ...chosen, idleLockMinutes: 0, news2WindowHours: 500 })).rejects.toMatchObject({
      code: 'invalid',
      fields: { idleLockMinutes: 'settings.clinic.invalid.idleLockMinutes', news2WindowHours: 'settings.clinic.invalid.news2WindowHours' },
    });
    expect((await vault.clinicSettings.get()).status).toBe('default');
  });

  it('reports a record that does not open, and falls back to the defaults', async () => {
    const { db, vault } = await setup();
    await vault.clinicSettings.update(chosen);
    const doc = await db.records.findOne('clinic-settings').exec();
    // Back-dating the clear header breaks the seal, as tampering would.
    await doc?.incrementalPatch({ updatedAt: 1 });
    expect(await vault.clinicSettings.get()).toEqual({ status: 'unreadable', settings: defaultClinicSettings });
  });
});
