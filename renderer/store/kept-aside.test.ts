import { afterEach, describe, expect, it } from 'vitest';
import { staffAccountSchema } from '../../app/auth/staff-account';
import { staffClaimsContext } from '../../app/auth/staff-claims';
import { generateDataKey, wrapWithPassphrase } from '../../app/crypto/keys';
import { sealPayload } from '../../app/crypto/seal';
import { sealRecord, type SealedRecord } from '../../app/records/sealed-record';
import { createKeptAside } from './kept-aside';
import type { Session } from './session';
import { adminInput, closeTestStores, openTestStore } from './test-support';

afterEach(closeTestStores);

const amina = { givenNames: 'Amina', familyName: 'Diallo', sex: 'female', birthDate: '1990-04-12' };

async function setUp() {
  const { db, keyring } = await openTestStore();
  const { session } = await keyring.setupClinic(adminInput);
  let unlocked = true;
  const keptAside = createKeptAside(db, { key: () => (unlocked ? session.dataKey : undefined), now: () => 1_700_000_500_000 });
  const version = (hlc: string, dataKey: CryptoKey, payload: unknown = amina) =>
    sealRecord(dataKey, { id: 'pat-1', type: 'patient', clinicId: session.clinicId, subject: 'pat-1', updatedAt: 1_700_000_000_000, hlc, deleted: false }, payload);
  const local = await version('001700000000000-00000-ws-a', session.dataKey);
  await db.records.insert(local);
  const foreign = await version('001700000000002-00000-intruder', await generateDataKey(), { ...amina, familyName: 'Forged' });
  const stored = async () => (await db.records.findOne('pat-1').exec())?.toMutableJSON();
  /** What RxDB's pull does with the guard's answer. */
  const pull = async (arrival: SealedRecord) => {
    if (!(await keptAside.guardPulled(arrival))) await db.records.upsert(arrival);
  };
  return { db, session, keptAside, version, local, foreign, stored, pull, lock: () => void (unlocked = false) };
}

describe('kept-aside arrivals', () => {
  it('keeps the local version over an arrival that does not open, and lists the arrival for an administrator until dismissed', async () => {
    const { keptAside, session, local, foreign, stored, pull } = await setUp();
    expect(await keptAside.guardPulled(foreign)).toEqual(local);
    await pull(foreign);
    expect(await stored()).toEqual(local);

    const listed = await keptAside.list(session);
    expect(listed).toEqual([{ id: expect.stringMatching(/^kept-aside-/) as unknown, recordId: 'pat-1', recordType: 'patient', arrivedAt: 1_700_000_500_000 }]);
    await keptAside.dismiss(session, listed[0]!.id);
    expect(await keptAside.list(session)).toEqual([]);
  });

  it('stores an arrival that opens, keeping nothing aside', async () => {
    const { keptAside, session, version, stored, pull } = await setUp();
    const good = await version('001700000000001-00000-ws-b', session.dataKey, { ...amina, phone: '+255712345678' });
    await pull(good);
    expect(await stored()).toEqual(good);
    expect(await keptAside.list(session)).toEqual([]);
  });

  it('keeps the arrival sealed as it came, with no decrypted text', async () => {
    const { db, keptAside, foreign } = await setUp();
    await keptAside.guardPulled(foreign);
    const entries = await db.local.find({ selector: { id: { $regex: '^kept-aside-' } } }).exec();
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!.value)).toEqual({ arrival: foreign, arrivedAt: 1_700_000_500_000 });
    expect(entries[0]!.value).not.toContain('Diallo');
    expect(entries[0]!.value).not.toContain('Forged');
  });

  it('is for administrators only', async () => {
    const { keptAside, session } = await setUp();
    const clinician: Session = { ...session, role: 'clinician' };
    await expect(keptAside.list(clinician)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(keptAside.dismiss(clinician, 'kept-aside-x')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('writes back, at unlock, the version an arrival that does not open replaced while locked', async () => {
    const { keptAside, session, local, foreign, stored, pull, lock } = await setUp();
    lock();
    await pull(foreign);
    // Locked: nothing could be tested, so the pull stored it.
    expect(await stored()).toEqual(foreign);

    await keptAside.checkStoredWhileLocked(session);
    expect(await stored()).toEqual(local);
    expect(await keptAside.list(session)).toEqual([expect.objectContaining({ recordId: 'pat-1' })]);
    // Checked once: a second unlock changes nothing.
    await keptAside.checkStoredWhileLocked(session);
    expect(await stored()).toEqual(local);
  });

  it('falls back, at unlock, to the latest good version when good and bad arrived while locked', async () => {
    const { keptAside, session, version, foreign, stored, pull, lock } = await setUp();
    const good = await version('001700000000001-00000-ws-b', session.dataKey, { ...amina, phone: '+255712345678' });
    lock();
    await pull(good);
    await pull(foreign);
    await keptAside.checkStoredWhileLocked(session);
    expect(await stored()).toEqual(good);
  });

  it('leaves alone, at unlock, an arrival that opens or that a later version replaced', async () => {
    const { keptAside, session, version, foreign, stored, pull, lock } = await setUp();
    lock();
    const good = await version('001700000000001-00000-ws-b', session.dataKey, { ...amina, phone: '+255712345678' });
    await pull(good);
    await keptAside.checkStoredWhileLocked(session);
    expect(await stored()).toEqual(good);

    await pull(foreign);
    const later = await version('001700000000003-00000-ws-b', session.dataKey);
    await pull(later);
    await keptAside.checkStoredWhileLocked(session);
    expect(await stored()).toEqual(later);
    expect(await keptAside.list(session)).toEqual([]);
  });

  it('does the same for a staff account: kept when unlocked, written back at unlock when it arrived while locked', async () => {
    const { db, session, keptAside, lock } = await setUp();
    const account = staffAccountSchema.parse((await db.staff.find().exec())[0]!.toMutableJSON());
    const otherKey = await generateDataKey();
    const forgedAt = (hlc: string) => async () => {
      const base = { id: account.id, clinicId: account.clinicId, username: account.username, wrap: await wrapWithPassphrase(otherKey, 'an intruder passphrase', 1_000) };
      return { ...base, updatedAt: 1_700_000_100_000, hlc, claims: await sealPayload(otherKey, staffClaimsContext(base), { username: account.username, displayName: 'X', role: 'admin', disabled: false }) };
    };
    const stored = async () => staffAccountSchema.parse((await db.staff.findOne(account.id).exec())!.toMutableJSON());

    const first = await forgedAt('001700000000005-00000-intruder')();
    expect(await keptAside.guardPulledStaff(first)).toEqual(account);
    expect((await keptAside.list(session)).map((kept) => kept.recordType)).toEqual(['staffAccount']);

    lock();
    const second = await forgedAt('001700000000006-00000-intruder')();
    expect(await keptAside.guardPulledStaff(second)).toBeUndefined();
    await db.staff.upsert(second);
    expect((await stored()).hlc).toBe(second.hlc);
    await keptAside.checkStoredWhileLocked(session);
    expect(await stored()).toEqual(account);
    expect((await keptAside.list(session)).filter((kept) => kept.recordType === 'staffAccount')).toHaveLength(2);
  });
});
