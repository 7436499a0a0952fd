import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { staffAccountSchema } from '../../app/auth/staff-account';
import { staffClaimsContext } from '../../app/auth/staff-claims';
import { generateDataKey, wrapWithPassphrase } from '../../app/crypto/keys';
import { sealPayload } from '../../app/crypto/seal';
import { openRecord, sealRecord, sealedRecordSchema, type SealedRecord } from '../../app/records/sealed-record';
import { startHubProcess, type HubProcess } from '../../sync/hub/test-support';
import { createTestWorkstation, type TestWorkstation } from './harness';

// Issue 12: a revision the hub accepts (it has the sealed shape and the
// clinic's id) but that does not open under the clinic key (written by
// something without the key) must not destroy the record on any workstation:
// each keeps its own version, lists the arrival as kept aside, and the
// clinic's next edit replaces the bad revision on the hub.

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const amina = { givenNames: 'Amina', familyName: 'Diallo', sex: 'female', birthDate: '1990-04-12' };
let hub: HubProcess;
let a: TestWorkstation;
let b: TestWorkstation;
let patientId: string;
let recordsDb: string;
let staffDb: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Until both sides have nothing left to move (each sees what the other pushed last). */
async function settle(): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (const ws of [a, b]) await ws.sync!.awaitInSync();
    await sleep(400); // the vault applies arriving records after a short quiet spell
  }
}

async function onHub(): Promise<SealedRecord & { _rev: string }> {
  const answer = await a.api.call('hub.request', { method: 'GET', path: `/${recordsDb}/${patientId}` });
  expect(answer.status).toBe(200);
  // The hub holds the record's id as CouchDB's `_id`.
  const { _id: id, _rev: rev, ...doc } = JSON.parse(answer.body) as Record<string, unknown>;
  const record = sealedRecordSchema.parse({ ...Object.fromEntries(Object.entries(doc).filter(([field]) => !field.startsWith('_'))), id });
  return { ...record, _rev: String(rev) };
}

/** A correctly shaped revision of the patient, sealed with a key no workstation of the clinic has, written straight to the hub. */
async function writeUnopenableRevision(): Promise<void> {
  const pulledBefore = [a, b].map((ws) => ws.pulledIds.length);
  const current = await onHub();
  const at = Date.now() + 60_000;
  const forged = await sealRecord(
    await generateDataKey(),
    { id: current.id, type: current.type, clinicId: current.clinicId, subject: current.subject, updatedAt: at, hlc: `${String(at).padStart(15, '0')}-00000-intruder`, deleted: false },
    { givenNames: 'Forged', familyName: 'Record', sex: 'male', birthDate: '1970-01-01' },
  );
  const { id, ...fields } = forged;
  const answer = await a.api.call('hub.request', { method: 'PUT', path: `/${recordsDb}/${id}`, body: JSON.stringify({ ...fields, _id: id, _rev: current._rev }) });
  expect(answer.status).toBeLessThan(300);
  // Both live pulls bring it (written by neither, so neither's pull leaves it out).
  for (const [i, ws] of [a, b].entries()) await expect.poll(() => ws.pulledIds.slice(pulledBefore[i]).includes(id), { timeout: 20_000 }).toBe(true);
}

const dataKeyOf = (ws: TestWorkstation): CryptoKey => {
  if (ws.vault.state.status !== 'unlocked') throw new Error('locked');
  return ws.vault.state.session.dataKey;
};

beforeAll(async () => {
  hub = await startHubProcess();
  const clinicId = hub.admin('create-clinic', '--name', 'Kisiwa Health Centre').stdout;
  a = await createTestWorkstation('ArrivalA');
  b = await createTestWorkstation('ArrivalB');
  expect(await a.vault.hub.join(a.api, { hubUrl: hub.url, code: hub.admin('issue-code', '--clinic', clinicId).stdout, workstationName: 'Front desk' })).toBe('needs-setup');
  await a.vault.hub.setUpFirst(a.api, { clinicName: 'Kisiwa Health Centre', displayName: 'Asha Admin', username: 'asha', passphrase: 'tide pools at dawn' });
  patientId = (await a.vault.patients.register(amina)).id;
  const link = await a.api.call('hub.status', {});
  if (!link.linked) throw new Error('not linked');
  recordsDb = link.databases.records;
  staffDb = link.databases.staff;
  await a.startSync();
  await a.sync!.awaitInSync();
  const issued = await a.vault.hub.issueCode(a.api, 4);
  expect(await b.vault.hub.join(b.api, { hubUrl: hub.url, code: issued.code, workstationName: 'Ward' })).toBe('joined');
  await b.startSync();
  await b.sync!.awaitInSync();
  await b.vault.login('asha', 'tide pools at dawn');
  await settle();
  expect((await b.vault.patients.get(patientId)).familyName).toBe('Diallo');
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await hub?.stop();
});

describe('a revision on the hub that does not open under the clinic key', () => {
  it('leaves the record as it was on both workstations, lists the arrival as kept aside, and is replaced on the hub by the next edit', async () => {
    await writeUnopenableRevision();
    await settle();

    for (const ws of [a, b]) {
      expect(await ws.vault.patients.get(patientId)).toMatchObject({ givenNames: 'Amina', familyName: 'Diallo' });
      expect(await ws.vault.keptAside.list()).toEqual([expect.objectContaining({ recordId: patientId, recordType: 'patient' })]);
    }
    await expect(openRecord(dataKeyOf(a), await onHub())).rejects.toMatchObject({ name: 'SealError' });
    // Keeping the local version settles: RxDB does not fetch the arrival again and again.
    const pullsOfIt = (ws: TestWorkstation) => ws.pulledIds.filter((id) => id === patientId).length;
    const pullsBefore = [a, b].map(pullsOfIt);
    await settle();
    expect([a, b].map(pullsOfIt)).toEqual(pullsBefore);

    // The clinic heals: an edit here is pushed over the bad revision and reaches the other workstation.
    await a.vault.patients.update(patientId, { ...amina, phone: '+255712345678' });
    await settle();
    await expect(openRecord(dataKeyOf(a), await onHub())).resolves.toMatchObject({ familyName: 'Diallo', phone: '+255712345678' });
    expect(await b.vault.patients.get(patientId)).toMatchObject({ familyName: 'Diallo', phone: '+255712345678' });
    expect(a.sync!.status()).toMatchObject({ connection: 'online', problem: null });
  });

  it('is undone at unlock on a workstation that was locked when it arrived', async () => {
    for (const ws of [a, b]) for (const kept of await ws.vault.keptAside.list()) await ws.vault.keptAside.dismiss(kept.id);
    // Each review is an audit entry of the administrator who dismissed it, on the workstation it was dismissed on (the
    // other workstation's entry may or may not have replicated here yet: only this workstation's own chain is counted).
    const dismissals = await a.vault.audit.list({ kinds: ['sync.arrival-dismiss'] });
    const here = a.vault.state.status === 'unlocked' ? a.vault.state.session.workstationId : undefined;
    expect(dismissals.filter((entry) => entry.workstationId === here)).toHaveLength(1);
    await b.vault.lock();
    await writeUnopenableRevision();
    await settle();
    // Locked, nothing could be checked: the arrival was stored, and the version it replaced remembered.
    expect((await b.db.records.findOne(patientId).exec())?.hlc).toMatch(/-intruder$/);

    await b.vault.login('asha', 'tide pools at dawn');
    expect(await b.vault.patients.get(patientId)).toMatchObject({ familyName: 'Diallo', phone: '+255712345678' });
    expect(await b.vault.keptAside.list()).toEqual([expect.objectContaining({ recordId: patientId, recordType: 'patient' })]);
    // The version written back goes to the hub over the bad one.
    await settle();
    await expect(openRecord(dataKeyOf(a), await onHub())).resolves.toMatchObject({ familyName: 'Diallo' });
    expect(await a.vault.patients.get(patientId)).toMatchObject({ familyName: 'Diallo', phone: '+255712345678' });
  });

  it('leaves a staff account as it was when the hub’s version of it does not open, so its person can still sign in', async () => {
    for (const ws of [a, b]) for (const kept of await ws.vault.keptAside.list()) await ws.vault.keptAside.dismiss(kept.id);
    const account = staffAccountSchema.parse((await a.db.staff.findOne({ selector: { username: 'asha' } }).exec())!.toMutableJSON());
    const answer = await a.api.call('hub.request', { method: 'GET', path: `/${staffDb}/${account.id}` });
    const { _rev: rev } = JSON.parse(answer.body) as { _rev: string };
    // Someone without the clinic key writes "asha" with a passphrase of their own and an admin role.
    const otherKey = await generateDataKey();
    const at = Date.now() + 120_000;
    const base = { id: account.id, clinicId: account.clinicId, username: 'asha', wrap: await wrapWithPassphrase(otherKey, 'an intruder passphrase', 1_000) };
    const claims = await sealPayload(otherKey, staffClaimsContext(base), { username: 'asha', displayName: 'Asha Admin', role: 'admin', disabled: false });
    const { id, ...fields } = { ...base, updatedAt: at, hlc: `${String(at).padStart(15, '0')}-00000-intruder`, claims };
    const pulledBefore = [a, b].map((ws) => ws.pulledIds.length);
    const written = await a.api.call('hub.request', { method: 'PUT', path: `/${staffDb}/${id}`, body: JSON.stringify({ ...fields, _id: id, _rev: rev }) });
    expect(written.status).toBeLessThan(300);
    for (const [i, ws] of [a, b].entries()) await expect.poll(() => ws.pulledIds.slice(pulledBefore[i]).includes(id), { timeout: 20_000 }).toBe(true);
    await settle();

    for (const ws of [a, b]) {
      expect((await ws.db.staff.findOne(account.id).exec())?.wrap).toEqual(account.wrap);
      expect(await ws.vault.keptAside.list()).toEqual([expect.objectContaining({ recordId: account.id, recordType: 'staffAccount' })]);
    }
    await b.vault.lock();
    await b.vault.login('asha', 'tide pools at dawn');
    expect(b.vault.state.status).toBe('unlocked');
  });
});
