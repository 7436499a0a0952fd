import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHubProcess, type HubProcess } from '../../sync/hub/test-support';
import { startFaultProxy, type FaultProxy } from '../../sync/test-support';
import { createTestWorkstation, type TestWorkstation } from './harness';
import { hubEngineText } from './hub-engine-text';
import { sealRecord } from '../../app/records/sealed-record';
import { splitEnrollmentCode } from '../../app/enrollment/enrollment-code';
import type { SyncStatus } from '../../sync/client/clinic-sync';

// Two workstations of one clinic, each a real main process (hub link) and a
// real store, replicating through a real hub process: the first sets the
// clinic up through a keyless code, the second joins with a code the first
// issued, and both edit one patient while apart.

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const amina = { givenNames: 'Amina', familyName: 'Diallo', sex: 'female', birthDate: '1990-04-12', phone: '+255 712 345 678', village: 'Mkuranga', nationalId: 'TZ-1990-0412' };
/** Everything of patients' that must never be seen outside a workstation: the scans look for each. */
const phi = ['Amina', 'Diallo', 'Dialo', 'Mkuranga', 'Mlandizi', 'Chalinze', 'Bagamoyo', 'Kibaha', '712345678', '712 345 678', '788000111', '788000222', 'TZ-1990-0412'];

let hub: HubProcess;
let proxy: FaultProxy;
let a: TestWorkstation;
let b: TestWorkstation;
let patientId: string;
/** The secret part of the code A made for B: the only input of the key that wrapped the clinic key, so the hub must never see it. */
let codeSecret: string;

const parkedOnly = { selector: { id: { $gte: 'parked-', $lt: 'parked-\uffff' } } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `count` pulse readings written by A (unlocked), sealed as the store seals them, ids `<prefix>-<i>`, clocks from `fromMs`. */
async function readingsOnA(count: number, prefix: string, fromMs: number) {
  const state = a.vault.state;
  if (state.status !== 'unlocked') throw new Error('A is locked');
  const link = await a.api.call('hub.status', {});
  if (!link.linked) throw new Error('not linked');
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      sealRecord(
        state.session.dataKey,
        { id: `${prefix}-${i}`, type: 'observation', clinicId: link.clinicId, subject: patientId, updatedAt: fromMs + i, hlc: `${String(fromMs + i).padStart(15, '0')}-00000-${link.workstationId}`, deleted: false },
        { kind: 'pulse', value: 60 + (i % 40), unit: '/min' },
      ),
    ),
  );
}

/** Until both sides have nothing left to move (in either order, so each sees what the other pushed last). */
async function settle(...workstations: TestWorkstation[]): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (const ws of workstations) await ws.sync!.awaitInSync();
    await sleep(400); // the vault applies arriving records after a short quiet spell
  }
}

beforeAll(async () => {
  hub = await startHubProcess();
  proxy = await startFaultProxy(hub.url);
  const clinicId = hub.admin('create-clinic', '--name', 'Kisiwa Health Centre').stdout;
  a = await createTestWorkstation('A');
  b = await createTestWorkstation('B');

  // The clinic's first workstation: a keyless code, then the clinic set up under the hub's ids.
  expect(await a.vault.hub.join(a.api, { hubUrl: proxy.url, code: hub.admin('issue-code', '--clinic', clinicId).stdout, workstationName: 'Front desk' })).toBe('needs-setup');
  const link = await a.api.call('hub.status', {});
  if (!link.linked) throw new Error('not linked');
  expect(link.clinicId).toBe(clinicId);
  await a.vault.hub.setUpFirst(a.api, { clinicName: 'Kisiwa Health Centre', displayName: 'Asha Admin', username: 'asha', passphrase: 'tide pools at dawn' });
  await a.vault.keyring.addStaff({ displayName: 'Baraka Clinician', username: 'baraka', role: 'clinician', passphrase: 'mangroves at noon' });
  patientId = (await a.vault.patients.register(amina)).id;
  await a.startSync();
  await a.sync!.awaitInSync();

  // The second: a code made on the first carries the key and the clinic's identity.
  const issued = await a.vault.hub.issueCode(a.api, 4);
  codeSecret = splitEnrollmentCode(issued.code).secretPart;
  expect(await b.vault.hub.join(b.api, { hubUrl: proxy.url, code: issued.code, workstationName: 'Ward' })).toBe('joined');
  expect(b.vault.state).toMatchObject({ status: 'locked', clinicName: 'Kisiwa Health Centre' });
  await b.startSync();
  await b.sync!.awaitInSync();
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await proxy?.close();
  await hub?.stop();
});

describe('two workstations of one clinic', () => {
  it('lets staff log in on the joined workstation with their own passphrase and find the patient registered on the other', async () => {
    await b.vault.login('baraka', 'mangroves at noon');
    expect(b.vault.patients.search('Amnia')[0]?.id).toBe(patientId);
    await settle(b);
    // The search above wrote an audit entry: it leaves, and the count of what waits comes down to nothing.
    await expect.poll(() => b.sync!.status().pending, { timeout: 10_000 }).toBe(0);
    expect(b.sync!.status()).toMatchObject({ connection: 'online', problem: null });
    expect(b.sync!.status().lastSyncedAt).not.toBeNull();
  });

  it('an admin’s clinic settings reach the other workstation, where a clinician reads them but may not change them', async () => {
    const chosen = { idleLockMinutes: 15, dateOrder: 'year-first', glucoseUnit: 'mmol/L', news2WindowHours: 12, glucometerMaxAgeDays: 3 } as const;
    await a.vault.clinicSettings.update(chosen);
    await settle(a, b);
    await expect.poll(async () => (await b.vault.clinicSettings.get()).settings, { timeout: 10_000 }).toMatchObject(chosen);
    await expect(b.vault.clinicSettings.update({ ...chosen, idleLockMinutes: 60 })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('each workstation knows the other by the name it was given at enrollment, once unlocked there', async () => {
    const idOf = async (ws: TestWorkstation) => {
      const link = await ws.api.call('hub.status', {});
      if (!link.linked) throw new Error('not linked');
      return link.workstationId;
    };
    const names = { [await idOf(a)]: 'Front desk', [await idOf(b)]: 'Ward' };
    await settle(a, b);
    await expect.poll(() => a.vault.workstations.names(), { timeout: 10_000 }).toEqual(names);
    await expect.poll(() => b.vault.workstations.names(), { timeout: 10_000 }).toEqual(names);
  });

  it('after a restart, resumes from its checkpoints: nothing already on the hub is pulled or pushed again', async () => {
    await settle(a, b);
    await a.restart();
    const logsBefore = hub.logs.length;
    const downBefore = proxy.traffic().down.length;
    await a.startSync();
    await a.sync!.awaitInSync();
    await sleep(300);
    const requests = hub.logs.slice(logsBefore).filter((line) => line.event === 'http.request');
    expect(requests.filter((line) => line.kind === 'bulk-docs')).toEqual([]);
    // The catch-up pulls asked only for changes after the stored checkpoints: a fraction of what re-pulling would bring.
    expect(requests.filter((line) => line.kind === 'changes').length).toBeGreaterThan(0);
    const everything = (await a.db.records.find().exec()).reduce((bytes, doc) => bytes + JSON.stringify(doc.toJSON()).length, 0);
    expect(proxy.traffic().down.length - downBefore).toBeLessThan(everything / 4);
    expect(await a.db.records.count().exec()).toBe(await b.db.records.count().exec());
    await a.vault.login('asha', 'tide pools at dawn');
  });

  it('after a restart, has the hub rescan its own changes since its last pull that brought anything once at most', async () => {
    await settle(a, b);
    await b.sync!.stop();
    // Only A writes now (a clinic with one workstation working): its pulls come back empty.
    for (let i = 0; i < 30; i++) a.vault.patients.search(`Amina ${i}`); // each search writes an audit entry
    await sleep(500);
    await a.sync!.awaitInSync();
    const link = await a.api.call('hub.status', {});
    if (!link.linked) throw new Error('not linked');
    const info = await a.api.call('hub.request', { method: 'GET', path: `/${link.databases.records}` });
    const updateSeq = (JSON.parse(info.body) as { update_seq: number }).update_seq;

    /** Restarts A and returns the `since` of its first catch-up pull of the records. */
    const restartA = async (): Promise<number> => {
      await a.restart();
      const upBefore = proxy.traffic().up.length;
      await a.vault.login('asha', 'tide pools at dawn');
      await a.startSync();
      await a.sync!.awaitInSync();
      const requests = proxy.traffic().up.subarray(upBefore).toString('latin1');
      const catchUp = [...requests.matchAll(/POST \/([^/]+)\/_changes\?[^ ]*feed=normal[^ ]*since=(\d+)/g)].filter((m) => m[1] === link.databases.records);
      expect(catchUp.length).toBeGreaterThan(0);
      return Number(catchUp[0]![2]);
    };
    // RxDB stored its checkpoint before A's own entries: the first restart asks from there (the hub scans them once)…
    expect(await restartA()).toBeLessThan(updateSeq);
    // …and learns they hold nothing for it, so the next restart asks from where the feed stood.
    expect(await restartA()).toBeGreaterThanOrEqual(updateSeq);
    await b.startSync();
    await settle(a, b);
  });

  it('merges edits made apart: changes to different fields both stay, the field both changed is listed as a conflict, nothing is lost', async () => {
    await a.sync!.stop();
    await b.sync!.stop();
    // Apart: A changes the phone and the family name; B (later) the village and the family name.
    await a.vault.patients.update(patientId, { ...amina, phone: '+255 788 000 111', familyName: 'Dialo' });
    await sleep(5);
    await b.vault.patients.update(patientId, { ...amina, village: 'Mlandizi', familyName: 'Diallo-Sow' });

    await a.startSync();
    await a.sync!.awaitInSync();
    await b.startSync();
    await settle(b, a);

    const onA = await a.vault.patients.get(patientId);
    const onB = await b.vault.patients.get(patientId);
    expect(onA).toEqual(onB);
    expect(onB).toMatchObject({ phone: '+255788000111', village: 'Mlandizi', familyName: 'Diallo-Sow' });
    const conflictsOnA = await a.vault.conflicts.list(patientId);
    expect(conflictsOnA).toEqual(await b.vault.conflicts.list(patientId));
    expect(conflictsOnA).toHaveLength(1);
    expect(conflictsOnA[0]).toMatchObject({ field: 'familyName', kept: { value: 'Diallo-Sow' }, other: { value: 'Dialo' } });
    // Who entered each value, from the edits' replicated audit entries.
    expect(conflictsOnA[0]).toMatchObject({ keptBy: { displayName: 'Baraka Clinician' }, otherBy: { displayName: 'Asha Admin' } });
    // The search index followed the merge on the workstation that did not make it.
    expect(a.vault.patients.search('Diallo Sow')[0]?.id).toBe(patientId);
  });

  it('a clinician’s choice on one workstation replicates to the other and closes the conflict everywhere', async () => {
    const [conflict] = await b.vault.conflicts.list(patientId);
    await b.vault.conflicts.resolve(conflict!.id, 'other');
    await settle(b, a);
    expect((await a.vault.patients.get(patientId)).familyName).toBe('Dialo');
    expect(await a.vault.conflicts.list()).toEqual([]);
    expect(await b.vault.conflicts.list()).toEqual([]);
  });

  it('while locked, parks the local edit whole and merges it after the next unlock', async () => {
    await b.sync!.stop();
    await b.vault.patients.update(patientId, { ...amina, familyName: 'Dialo', phone: '+255 788 000 111', village: 'Chalinze' });
    await b.vault.lock();
    await a.vault.patients.update(patientId, { ...amina, familyName: 'Dialo', phone: '+255 788 000 111', village: 'Bagamoyo' });
    await a.sync!.awaitInSync();

    await b.startSync();
    await settle(b, a);
    // Locked: B holds the hub's version for now, and its own edit is parked, not gone.
    expect(await b.db.local.count(parkedOnly).exec()).toBe(1);

    await b.vault.login('baraka', 'mangroves at noon');
    await settle(b, a);
    expect(await b.db.local.count(parkedOnly).exec()).toBe(0);
    const [conflict] = await a.vault.conflicts.list(patientId);
    expect(conflict).toMatchObject({ field: 'village' });
    expect([conflict!.kept.value, conflict!.other.value].sort()).toEqual(['Bagamoyo', 'Chalinze']);
    expect(await a.vault.patients.get(patientId)).toEqual(await b.vault.patients.get(patientId));
  });

  it('a workstation joining later pulls the clinic’s records with its progress shown, then shows none', async () => {
    // A clinic's worth of readings on the hub.
    const readings = await readingsOnA(800, 'obs-join', 1_790_000_000_000);
    const pulledBefore = a.pulledIds.length;
    await a.db.records.bulkInsert(readings);
    await a.sync!.awaitInSync();
    // A pushed them; its pulls leave out what it wrote, while B (the control) receives every one.
    await expect.poll(() => new Set(b.pulledIds.filter((id) => id.startsWith('obs-join-'))).size, { timeout: 20_000 }).toBe(800);
    expect(a.pulledIds.slice(pulledBefore).filter((id) => id.startsWith('obs-join-'))).toEqual([]);

    const c = await createTestWorkstation('C');
    try {
      const { code } = await a.vault.hub.issueCode(a.api, 1);
      await c.vault.hub.join(c.api, { hubUrl: proxy.url, code, workstationName: 'Pharmacy' });
      const seen: SyncStatus[] = [];
      const sync = await c.startSync();
      sync.subscribe((status) => seen.push(status));
      await sync.awaitInSync();
      await expect.poll(() => sync.status().initialPull, { timeout: 10_000 }).toBeNull();
      const progress = seen.flatMap((status) => (status.initialPull ? [status.initialPull] : []));
      expect(progress.length).toBeGreaterThan(0);
      expect(progress[0]!.expected).toBeGreaterThanOrEqual(800);
      expect(Math.max(...progress.map((p) => p.received))).toBeGreaterThan(0);
      expect(await c.db.records.count().exec()).toBe(await a.db.records.count().exec());
    } finally {
      await c.close();
    }
  });

  it('shows a backlog of changes going out after time offline, with its progress, then none', async () => {
    await a.sync!.stop();
    // Offline for a while: a morning's readings pile up.
    const readings = await readingsOnA(1500, 'obs-backlog', 1_791_000_000_000);
    await a.db.records.bulkInsert(readings);
    // A slow link, as at a rural clinic: the backlog takes seconds to go, so its progress is counted while it goes
    // (on a fast link and a busy machine it could all be gone before the count of what waits was done, and nothing to show).
    proxy.latency(400);
    const sync = await a.startSync();
    const seen: SyncStatus[] = [];
    sync.subscribe((status) => seen.push(status));
    try {
      await sync.awaitInSync();
    } finally {
      proxy.latency(0);
    }
    await expect.poll(() => sync.status().sending, { timeout: 10_000 }).toBeNull();
    const progress = seen.flatMap((status) => (status.sending ? [status.sending] : []));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]!.expected).toBeGreaterThanOrEqual(1500);
    expect(Math.max(...progress.map((p) => p.sent))).toBeGreaterThan(0);
    await settle(a, b);
    // B hears of the backlog through its live pull, a batch a request: in step with the hub is not yet holding all of it.
    const onA = await a.db.records.count().exec();
    await expect.poll(() => b.db.records.count().exec(), { timeout: 15_000 }).toBe(onA);
  });

  it('refuses to set the clinic up again on a workstation that enrolled with a keyless code once the hub has its staff, and lets it join again properly', async () => {
    const c = await createTestWorkstation('Again');
    try {
      const link = await a.api.call('hub.status', {});
      if (!link.linked) throw new Error('not linked');
      // A keyless code for a clinic that already has a key elsewhere (the hub's --force, for a clinic that lost every workstation).
      const code = hub.admin('issue-code', '--clinic', link.clinicId, '--force').stdout;
      expect(await c.vault.hub.join(c.api, { hubUrl: proxy.url, code, workstationName: 'Spare' })).toBe('needs-setup');
      await expect(c.vault.hub.setUpFirst(c.api, { clinicName: 'Second key', displayName: 'X', username: 'xadmin', passphrase: 'another long passphrase' })).rejects.toMatchObject({ code: 'clinic_on_hub' });
      expect(c.vault.state.status).toBe('no-clinic');
      // Linked, so it could not join with the right code: it forgets the link first, then joins.
      await expect(c.vault.hub.join(c.api, { hubUrl: proxy.url, code: (await a.vault.hub.issueCode(a.api, 1)).code, workstationName: 'Spare' })).rejects.toMatchObject({ code: 'bad_request' });
      await c.vault.hub.leave(c.api);
      expect(await c.api.call('hub.status', {})).toEqual({ linked: false });
      expect(await c.vault.hub.join(c.api, { hubUrl: proxy.url, code: (await a.vault.hub.issueCode(a.api, 1)).code, workstationName: 'Spare' })).toBe('joined');
      expect(c.vault.state).toMatchObject({ status: 'locked', clinicName: 'Kisiwa Health Centre' });
      // Set up now: the link stays.
      await expect(c.vault.hub.leave(c.api)).rejects.toMatchObject({ code: 'already_set_up' });
      expect(await c.api.call('hub.status', {})).toMatchObject({ linked: true });
    } finally {
      await c.close();
    }
  });

  it('keeps both edits of a staff account made apart: a passphrase changed on one workstation, the account disabled on the other', async () => {
    if (b.vault.state.status !== 'unlocked') await b.vault.login('baraka', 'mangroves at noon');
    const baraka = (await a.vault.keyring.listStaff()).find((staff) => staff.username === 'baraka')!;
    await a.sync!.stop();
    await b.sync!.stop();
    // Apart: Baraka changes his own passphrase on B; later, on A, the administrator disables his account.
    await b.vault.keyring.changePassphrase('mangroves at noon', 'baobab shade at four');
    await sleep(5);
    await a.vault.keyring.setDisabled(baraka.id, true);
    await b.startSync();
    await b.sync!.awaitInSync();
    await a.startSync();
    await settle(a, b);

    const account = async (ws: TestWorkstation) => (await ws.db.staff.findOne(baraka.id).exec())?.toJSON();
    expect(await account(a)).toEqual(await account(b));
    // Both edits stayed: his new passphrase opens the account, and it is disabled.
    await b.vault.lock();
    await expect(b.vault.login('baraka', 'mangroves at noon')).rejects.toThrow();
    await expect(b.vault.login('baraka', 'baobab shade at four')).rejects.toMatchObject({ code: 'account_disabled' });
    await a.vault.keyring.setDisabled(baraka.id, false);
    await settle(a, b);
    await b.vault.login('baraka', 'baobab shade at four');
    expect(b.vault.state.status).toBe('unlocked');
  });

  it('a revoked workstation is refused by the hub, says so in plain words and keeps its edits; the other keeps syncing', async () => {
    const link = await b.api.call('hub.status', {});
    if (!link.linked) throw new Error('not linked');
    expect(hub.admin('revoke', '--workstation', link.workstationId).status).toBe(0);
    await b.vault.patients.update(patientId, { ...amina, familyName: 'Dialo', phone: '+255 788 000 111', village: 'Kibaha' });
    await expect.poll(() => b.sync!.status().connection, { timeout: 10_000 }).toBe('refused');
    expect(b.sync!.status().problem).toMatch(/does not accept this workstation/);
    await expect.poll(() => b.sync!.status().pending, { timeout: 5000 }).toBeGreaterThan(0);
    // One patient edited is one change waiting, however many audit entries the work around it wrote.
    await expect.poll(() => b.sync!.status().pending - b.sync!.status().pendingAudit, { timeout: 5000 }).toBe(1);
    expect(b.sync!.status().pendingAudit).toBeGreaterThan(0);
    expect((await b.vault.patients.get(patientId)).village).toBe('Kibaha');

    await a.vault.patients.update(patientId, { ...amina, familyName: 'Dialo', phone: '+255 788 000 222', village: 'Bagamoyo' });
    await a.sync!.awaitInSync();
    expect(a.sync!.status()).toMatchObject({ connection: 'online' });
  });

  it('left no name, phone or national ID, nor the secret part of an enrollment code, in the hub’s data folder, in what its storage engine returns, or on the wire', async () => {
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) await walk(join(dir, entry.name));
        else files.push(join(dir, entry.name));
      }
    };
    await walk(hub.dataDir);
    const stored = Buffer.concat(await Promise.all(files.map((file) => readFile(file))));
    const { up, down } = proxy.traffic();
    // The scans can see: the patient's opaque id is in both places.
    expect(stored.includes(patientId)).toBe(true);
    expect(up.includes(patientId) && down.includes(patientId)).toBe(true);
    // LevelDB compresses its tables, so the bytes alone could miss text: read every stored revision through the engine too.
    await hub.kill();
    const engine = await hubEngineText(hub.dataDir);
    expect(engine.includes(patientId)).toBe(true);
    for (const text of [...phi, codeSecret]) {
      expect(stored.includes(text), `hub data contains ${text}`).toBe(false);
      expect(engine.includes(text), `the hub's storage engine returns ${text}`).toBe(false);
      expect(up.includes(text), `request traffic contains ${text}`).toBe(false);
      expect(down.includes(text), `response traffic contains ${text}`).toBe(false);
    }
  });
});
