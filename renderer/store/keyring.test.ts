import { afterEach, describe, expect, it } from 'vitest';
import { adminInput, closeTestStores, openTestStore } from './test-support';

afterEach(closeTestStores);

describe('keyring', () => {
  it('sets up a clinic once, with a recovery key and an admin who can log in', async () => {
    const { keyring } = await openTestStore();
    const { session, recoveryKey } = await keyring.setupClinic(adminInput);
    expect(session.role).toBe('admin');
    expect(recoveryKey).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){12}$/);
    await expect(keyring.setupClinic(adminInput)).rejects.toMatchObject({ code: 'already_set_up' });
    const again = await keyring.login('ASHA ', adminInput.passphrase);
    expect(again).toMatchObject({ username: 'asha', role: 'admin', displayName: 'Asha Admin' });
  });

  it('refuses a wrong passphrase and an unknown user with the same words, then slows down', async () => {
    const { keyring } = await openTestStore();
    await keyring.setupClinic(adminInput);
    const wrong = await keyring.login('asha', 'tide pools at dusk').catch((e: unknown) => e);
    const unknown = await keyring.login('nobody', 'tide pools at dawn').catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'wrong_credentials' });
    expect(unknown).toMatchObject({ code: 'wrong_credentials' });
    expect((wrong as Error).message).toBe((unknown as Error).message);
    for (let i = 0; i < 4; i++) await keyring.login('asha', 'nope nope nope').catch(() => undefined);
    await expect(keyring.login('asha', adminInput.passphrase)).rejects.toMatchObject({ code: 'too_many_attempts' });
  });

  it('lets an admin add staff who log in with their own passphrase and role', async () => {
    const { keyring } = await openTestStore();
    const { session } = await keyring.setupClinic(adminInput);
    await keyring.addStaff(session, { displayName: 'Neema Nurse', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
    await expect(keyring.addStaff(session, { displayName: 'Other', username: 'neema', role: 'nurse', passphrase: 'mango season rain' })).rejects.toMatchObject({ code: 'username_taken' });
    const nurse = await keyring.login('neema', 'mango season rain');
    expect(nurse.role).toBe('nurse');
  });

  it('refuses a nurse who tries to manage staff, in the service', async () => {
    const { keyring } = await openTestStore();
    const { session } = await keyring.setupClinic(adminInput);
    const added = await keyring.addStaff(session, { displayName: 'Neema Nurse', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
    const nurse = await keyring.login('neema', 'mango season rain');
    await expect(keyring.setDisabled(nurse, session.userId, true)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(keyring.addStaff(nurse, { displayName: 'X', username: 'xavier', role: 'admin', passphrase: 'mango season rain' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(keyring.listStaff(nurse)).rejects.toMatchObject({ code: 'forbidden' });
    expect(added.role).toBe('nurse');
  });

  it('a disabled account can no longer log in, and the last admin cannot be disabled', async () => {
    const { keyring } = await openTestStore();
    const { session } = await keyring.setupClinic(adminInput);
    const nurse = await keyring.addStaff(session, { displayName: 'Neema Nurse', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
    await keyring.setDisabled(session, nurse.id, true);
    await expect(keyring.login('neema', 'mango season rain')).rejects.toMatchObject({ code: 'account_disabled' });
  });

  it('refuses an administrator who disables, demotes or resets their own account, in the service', async () => {
    const { keyring } = await openTestStore();
    const { session } = await keyring.setupClinic(adminInput);
    await keyring.addStaff(session, { displayName: 'Second Admin', username: 'bahati', role: 'admin', passphrase: 'mango season rain' });
    await expect(keyring.setDisabled(session, session.userId, true)).rejects.toMatchObject({ code: 'own_account' });
    await expect(keyring.setRole(session, session.userId, 'nurse')).rejects.toMatchObject({ code: 'own_account' });
    await expect(keyring.resetPassphrase(session, session.userId, 'a temporary phrase')).rejects.toMatchObject({ code: 'own_account' });
    expect((await keyring.login('asha', adminInput.passphrase)).role).toBe('admin');
  });

  it('never leaves the clinic without an active administrator, even from a session that is out of date', async () => {
    const { keyring } = await openTestStore();
    const { session: asha } = await keyring.setupClinic(adminInput);
    const second = await keyring.addStaff(asha, { displayName: 'Second Admin', username: 'bahati', role: 'admin', passphrase: 'mango season rain' });
    const bahati = await keyring.login('bahati', 'mango season rain');
    // Bahati demotes Asha while Asha's session (still an admin in memory) stays open.
    await keyring.setRole(bahati, asha.userId, 'clinician');
    await expect(keyring.setDisabled(asha, second.id, true)).rejects.toMatchObject({ code: 'last_admin' });
    await expect(keyring.setRole(asha, second.id, 'nurse')).rejects.toMatchObject({ code: 'last_admin' });
    expect((await keyring.login('bahati', 'mango season rain')).role).toBe('admin');
    expect((await keyring.login('asha', adminInput.passphrase)).role).toBe('clinician');
  });

  it('lets an admin change another person’s role, which their next login carries; a nurse cannot', async () => {
    const { keyring } = await openTestStore();
    const { session } = await keyring.setupClinic(adminInput);
    const added = await keyring.addStaff(session, { displayName: 'Neema Nurse', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
    const nurse = await keyring.login('neema', 'mango season rain');
    await expect(keyring.setRole(nurse, added.id, 'admin')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(keyring.setRole(session, added.id, 'surgeon' as never)).rejects.toMatchObject({ code: 'invalid' });
    await keyring.setRole(session, added.id, 'clinician');
    expect((await keyring.login('neema', 'mango season rain')).role).toBe('clinician');
    expect((await keyring.listStaff(session)).find((s) => s.id === added.id)?.role).toBe('clinician');
  });

  it('resets another person’s passphrase to a temporary one that must be replaced at the next login', async () => {
    const { keyring } = await openTestStore();
    const { session } = await keyring.setupClinic(adminInput);
    const added = await keyring.addStaff(session, { displayName: 'Neema Nurse', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
    const nurse = await keyring.login('neema', 'mango season rain');
    await expect(keyring.resetPassphrase(nurse, session.userId, 'a temporary phrase')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(keyring.resetPassphrase(session, added.id, 'short')).rejects.toMatchObject({ code: 'weak_passphrase' });
    await keyring.resetPassphrase(session, added.id, 'a temporary phrase');

    await expect(keyring.login('neema', 'mango season rain')).rejects.toMatchObject({ code: 'wrong_credentials' });
    // The temporary passphrase alone unlocks nothing: the person must choose their own.
    await expect(keyring.login('neema', 'a temporary phrase')).rejects.toMatchObject({ code: 'passphrase_change_required' });
    await expect(keyring.login('neema', 'a temporary phrase', 'short')).rejects.toMatchObject({ code: 'weak_passphrase' });
    await expect(keyring.login('neema', 'a temporary phrase', 'a temporary phrase')).rejects.toMatchObject({ code: 'same_passphrase' });
    const changed = await keyring.login('neema', 'a temporary phrase', 'her own new phrase');
    expect(changed).toMatchObject({ username: 'neema', role: 'nurse' });

    await expect(keyring.login('neema', 'a temporary phrase')).rejects.toMatchObject({ code: 'wrong_credentials' });
    expect((await keyring.login('neema', 'her own new phrase')).role).toBe('nurse');
    expect((await keyring.listStaff(session)).find((s) => s.id === added.id)?.mustChangePassphrase).toBe(false);
  });

  it('changes a passphrase: the old one stops working, the new one works', async () => {
    const { keyring } = await openTestStore();
    const { session } = await keyring.setupClinic(adminInput);
    await expect(keyring.changePassphrase(session, 'not the current one', 'a brand new phrase')).rejects.toMatchObject({ code: 'wrong_credentials' });
    await expect(keyring.changePassphrase(session, adminInput.passphrase, 'short')).rejects.toMatchObject({ code: 'weak_passphrase' });
    await keyring.changePassphrase(session, adminInput.passphrase, 'a brand new phrase');
    await expect(keyring.login('asha', adminInput.passphrase)).rejects.toMatchObject({ code: 'wrong_credentials' });
    expect((await keyring.login('asha', 'a brand new phrase')).role).toBe('admin');
  });

  it('recovers a forgotten passphrase with the recovery key only', async () => {
    const { keyring } = await openTestStore();
    const { recoveryKey } = await keyring.setupClinic(adminInput);
    await expect(keyring.recover('0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000', 'asha', 'remembered again')).rejects.toMatchObject({ code: 'wrong_recovery_key' });
    const session = await keyring.recover(recoveryKey.toLowerCase(), 'asha', 'remembered again');
    expect(session.role).toBe('admin');
    expect((await keyring.login('asha', 'remembered again')).username).toBe('asha');
  });

  it('refuses an account whose role was edited in the database without the key', async () => {
    const { keyring, db } = await openTestStore();
    const { session } = await keyring.setupClinic(adminInput);
    const nurse = await keyring.addStaff(session, { displayName: 'Neema Nurse', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
    const admin = (await db.staff.findOne(session.userId).exec())!.toMutableJSON();
    // Copy the admin's sealed claims onto the nurse's account, as an attacker with the disk might.
    await db.staff.upsert({ ...(await db.staff.findOne(nurse.id).exec())!.toMutableJSON(), claims: admin.claims });
    await expect(keyring.login('neema', 'mango season rain')).rejects.toMatchObject({ name: 'SealError', code: 'tampered' });
  });
});
