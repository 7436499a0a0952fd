import { afterAll, expect, it, vi } from 'vitest';
import { sealRecord, type SealedRecord } from '../../app/records/sealed-record';
import { seededRandom } from '../../app/search/synthetic-patients';
import { startHubProcess, type HubProcess } from '../../sync/hub/test-support';
import { startFaultProxy, type FaultProxy } from '../../sync/test-support';
import { createTestWorkstation, type TestWorkstation } from './harness';

// The fault run (issue 5): 20,000 sealed records replicate from one
// workstation through the hub to another while the hub process is killed
// (SIGKILL) and restarted at least ten times, connections are cut mid-request,
// and each workstation is restarted mid-sync. Afterwards every record exists on
// both workstations and on the hub with identical content.

vi.setConfig({ testTimeout: 600_000, hookTimeout: 120_000 });

const total = 20_000;
const hubKills = 12;

let hub: HubProcess | undefined;
let proxy: FaultProxy | undefined;
const workstations: TestWorkstation[] = [];

afterAll(async () => {
  for (const ws of workstations) await ws.close().catch(() => undefined);
  await proxy?.close();
  await hub?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** id → what must be identical everywhere. */
const fingerprint = (records: readonly Pick<SealedRecord, 'id' | 'type' | 'subject' | 'hlc' | 'deleted' | 'sealed'>[]) => new Map(records.map((r) => [r.id, `${r.type}|${r.subject}|${r.hlc}|${r.deleted}|${r.sealed}`]));

async function localRecords(ws: TestWorkstation): Promise<SealedRecord[]> {
  return (await ws.db.records.find().exec()).map((doc) => {
    const { id, type, clinicId, subject, updatedAt, hlc, deleted, sealed } = doc.toMutableJSON();
    return { id, type, clinicId, subject, updatedAt, hlc, deleted, sealed };
  });
}

/** Every record on the hub, read a page at a time (the hub answers at most 1,000 rows a request). */
async function hubRecords(ws: TestWorkstation, database: string): Promise<SealedRecord[]> {
  const records: SealedRecord[] = [];
  for (let after: string | undefined; ; ) {
    const from = after === undefined ? '' : `&startkey=${encodeURIComponent(JSON.stringify(after))}&skip=1`;
    const answer = await ws.api.call('hub.request', { method: 'GET', path: `/${database}/_all_docs?include_docs=true&limit=1000${from}` });
    if (answer.status !== 200) throw new Error(`the hub answered ${answer.status}`);
    const rows = (JSON.parse(answer.body) as { rows: { doc: Record<string, unknown> }[] }).rows;
    // CouchDB's `_id` is RxDB's `id`; `_rev` is the hub's bookkeeping, not content.
    records.push(...rows.map(({ doc }) => ({ ...(doc as unknown as Omit<SealedRecord, 'id'>), id: String(doc._id) })));
    if (rows.length < 1000) return records;
    after = String(rows.at(-1)!.doc._id);
  }
}

/** Where each side stands, for the failure message when replication stops moving: which side stalled, and on what request. */
async function stateOf(a: TestWorkstation, b: TestWorkstation, database: string): Promise<string> {
  const onHub = await hubRecords(a, database).then(
    (records) => String(records.length),
    (error: unknown) => `unknown (${String(error)})`,
  );
  // Which records B lacks, as runs of consecutive ids: a run just below where B's pull resumed after its restart would mean its checkpoint got ahead of what it stored.
  const onB = new Set((await b.db.records.find({ selector: { type: 'observation' } }).exec()).map((doc) => doc.id));
  const runs: string[] = [];
  for (let i = 0; i < total; i++) {
    if (onB.has(`obs-fault-${String(i).padStart(5, '0')}`)) continue;
    let end = i;
    while (end + 1 < total && !onB.has(`obs-fault-${String(end + 1).padStart(5, '0')}`)) end++;
    runs.push(end === i ? `${i}` : `${i}-${end}`);
    i = end;
  }
  const side = (name: string, ws: TestWorkstation) => `${name}: ${JSON.stringify(ws.sync?.status())}\n  waiting: ${ws.traffic().waiting.join('\n    ') || 'none'}\n  recent:\n    ${ws.traffic().recent.join('\n    ')}`;
  return `the hub holds ${onHub} records; B lacks obs-fault ${runs.slice(0, 20).join(', ') || 'none'}\n${side('A', a)}\n${side('B', b)}`;
}

it(`replicates ${total.toLocaleString('en')} records with identical content through ${hubKills} hub kills, cut connections and a restart of each workstation`, async () => {
  const random = seededRandom(Number(process.env.FAULT_SEED ?? 20261122));
  hub = await startHubProcess();
  proxy = await startFaultProxy(hub.url, { recordTraffic: false });
  const clinicId = hub.admin('create-clinic', '--name', 'Fault clinic').stdout;
  const a = await createTestWorkstation('FaultA', { retryMs: 300 });
  const b = await createTestWorkstation('FaultB', { retryMs: 300 });
  workstations.push(a, b);

  await a.vault.hub.join(a.api, { hubUrl: proxy.url, code: hub.admin('issue-code', '--clinic', clinicId).stdout, workstationName: 'A' });
  const link = await a.api.call('hub.status', {});
  if (!link.linked) throw new Error('not linked');
  await a.vault.setupClinic({ clinicName: 'Fault clinic', displayName: 'Admin', username: 'admin', passphrase: 'long enough passphrase' }, { clinicId, workstationId: link.workstationId });
  const { code } = await a.vault.hub.issueCode(a.api, 2);
  await b.vault.hub.join(b.api, { hubUrl: proxy.url, code, workstationName: 'B' });
  const state = a.vault.state;
  if (state.status !== 'unlocked') throw new Error('A is not unlocked');

  // 20,000 sealed readings, as the store writes them (sealed under the clinic key, ~600 bytes each).
  const records = await Promise.all(
    Array.from({ length: total }, (_, i) => {
      const at = 1_790_000_000_000 + i;
      const id = `obs-fault-${String(i).padStart(5, '0')}`;
      return sealRecord(
        state.session.dataKey,
        { id, type: 'observation', clinicId, subject: `pat-fault-${i % 500}`, updatedAt: at, hlc: `${String(at).padStart(15, '0')}-00000-${link.workstationId}`, deleted: false },
        { kind: 'spo2', value: 90 + (i % 10), unit: '%', effectiveAt: new Date(at).toISOString(), source: { kind: 'manual' }, note: 'x'.repeat(200) },
      );
    }),
  );
  for (let i = 0; i < records.length; i += 2000) await a.db.records.bulkInsert(records.slice(i, i + 2000));

  await a.startSync();
  await b.startSync();

  // Faults at random points of B's progress (so during both the push and the pull), until enough have happened.
  const faults = { hubKills: 0, drops: 0, restarts: [] as string[] };
  let nextAt = 800;
  const deadline = Date.now() + 480_000;
  // Longer than two of the live pull's quiet answers (50 s each) and a retry pause: B then has had every chance to move.
  const stallMs = 150_000;
  let moved = { received: -1, at: Date.now() };
  for (;;) {
    const received = await b.db.records.count({ selector: { type: 'observation' } }).exec();
    const done = received >= total;
    if (done && faults.hubKills >= hubKills) break;
    if (received !== moved.received) moved = { received, at: Date.now() };
    if (!done && Date.now() - moved.at > stallMs) throw new Error(`B stopped at ${received} of ${total} for ${stallMs / 1000} s; faults so far ${JSON.stringify(faults)}\n${await stateOf(a, b, link.databases.records)}`);
    if (Date.now() > deadline) throw new Error(`no progress: B has ${received} of ${total}; faults so far ${JSON.stringify(faults)}\n${await stateOf(a, b, link.databases.records)}`);
    if (received >= nextAt || done) {
      const roll = random();
      if (faults.restarts.length === 0 && received > total * 0.4) {
        await a.restart();
        await a.startSync();
        faults.restarts.push(`A at ${received}`);
      } else if (faults.restarts.length === 1 && received > total * 0.7) {
        await b.restart();
        await b.startSync();
        faults.restarts.push(`B at ${received}`);
      }
      if (roll < 0.7 || done) {
        // Sometimes wait a random moment so the kill lands mid-request.
        await sleep(Math.floor(random() * 150));
        await hub.restart();
        faults.hubKills++;
      } else {
        faults.drops += proxy.dropAll();
      }
      nextAt = received + 700 + Math.floor(random() * 1200);
    }
    await sleep(50);
  }
  // Cut connections once more, mid-request, with partial responses.
  proxy.chaos({ probability: 0.5, minBytes: 200, maxBytes: 20_000, random });
  await sleep(2000);
  proxy.chaos(undefined);

  await a.sync!.awaitInSync();
  await b.sync!.awaitInSync();
  await a.sync!.awaitInSync();

  const onA = fingerprint(await localRecords(a));
  const onB = fingerprint(await localRecords(b));
  const onHub = fingerprint(await hubRecords(a, link.databases.records));
  expect(faults.hubKills).toBeGreaterThanOrEqual(hubKills);
  expect(faults.restarts).toHaveLength(2);
  expect([...onA.keys()].filter((id) => id.startsWith('obs-fault-'))).toHaveLength(total);
  expect(onB.size).toBe(onA.size);
  expect(onHub.size).toBe(onA.size);
  for (const [id, print] of onA) {
    expect(onB.get(id), `B's ${id}`).toBe(print);
    expect(onHub.get(id), `the hub's ${id}`).toBe(print);
  }
  console.log(`fault run: ${JSON.stringify(faults)}, ${onA.size} records identical on A, B and the hub`);
});
