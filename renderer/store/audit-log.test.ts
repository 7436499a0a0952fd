import { afterEach, describe, expect, it } from 'vitest';
import { auditPatientIdOf, auditUserIdOf } from '../../app/audit/audit-event';
import { createAuditLog } from './audit-log';
import { adminInput, closeTestStores, openTestStore } from './test-support';

afterEach(closeTestStores);

async function setup() {
  const store = await openTestStore();
  const { session } = await store.keyring.setupClinic(adminInput);
  const audit = createAuditLog(store.db, store.local, { clock: store.clock });
  return { ...store, session, audit };
}

describe('audit log (store)', () => {
  it('chains concurrent appends without forking and verifies', async () => {
    const { audit, session } = await setup();
    await Promise.all(Array.from({ length: 20 }, (_, i) => audit.record(session, { kind: 'patient.read', patientId: `pat-${i}` })));
    expect(await audit.verify(session)).toEqual({ ok: true, entries: 20, chains: 1 });
    const listed = await audit.list(session, { kinds: ['patient.read'] });
    expect(listed).toHaveLength(20);
  });

  it('keeps no patient data in clear in the stored entries', async () => {
    const { audit, session, db } = await setup();
    await audit.record(session, { kind: 'patient.read', patientId: 'pat-1' });
    const stored = JSON.stringify((await db.records.find().exec()).map((d) => d.toJSON()));
    expect(stored).not.toContain('Practitioner');
    expect(stored).not.toContain('patient.read');
  });

  it('detects a removed entry, removed newest entries and a removed head', async () => {
    const { audit, session, db } = await setup();
    for (let i = 0; i < 6; i++) await audit.record(session, { kind: 'patient.read', patientId: 'pat-1' });
    const ids = (await db.records.find({ selector: { type: 'audit' } }).exec()).map((d) => d.id).sort();
    await (await db.records.findOne(ids[2]).exec())!.remove();
    expect(await audit.verify(session)).toMatchObject({ ok: false, problem: 'missing', seq: 3 });

    const fresh = await setup();
    for (let i = 0; i < 4; i++) await fresh.audit.record(fresh.session, { kind: 'patient.read', patientId: 'pat-1' });
    const last = (await fresh.db.records.find({ selector: { type: 'audit' } }).exec()).map((d) => d.id).sort().at(-1)!;
    await (await fresh.db.records.findOne(last).exec())!.remove();
    expect(await fresh.audit.verify(fresh.session)).toMatchObject({ ok: false, problem: 'truncated' });

    const third = await setup();
    await third.audit.record(third.session, { kind: 'patient.read', patientId: 'pat-1' });
    await (await third.db.local.findOne('audit-head').exec())!.remove();
    expect(await third.audit.verify(third.session)).toMatchObject({ ok: false, problem: 'truncated' });
  });

  it('refuses a nurse reading the audit log, in the service', async () => {
    const { audit, session, keyring } = await setup();
    await keyring.addStaff(session, { displayName: 'Neema Nurse', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
    const nurse = await keyring.login('neema', 'mango season rain');
    await expect(audit.list(nurse)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(audit.verify(nurse)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('gives anyone who reads patients the entries about given patients only (to name who made a conflicting value), not the whole log', async () => {
    const { audit, session, keyring } = await setup();
    await audit.record(session, { kind: 'patient.update', patientId: 'pat-1' });
    await audit.record(session, { kind: 'patient.read', patientId: 'pat-2' });
    await audit.record(session, { kind: 'user.lock' });
    await keyring.addStaff(session, { displayName: 'Neema Nurse', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
    const nurse = await keyring.login('neema', 'mango season rain');
    const about = await audit.aboutPatients(nurse, ['pat-1']);
    expect(about).toHaveLength(1);
    expect(auditUserIdOf(about[0]!.event)).toBe(session.userId);
    expect(auditPatientIdOf(about[0]!.event)).toBe('pat-1');
  });
});
