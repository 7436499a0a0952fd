import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PouchDB, { type PouchDatabase, type PouchDocument } from 'pouchdb-node';
import { createRxDatabase, type RxCollection, type RxDatabase, type RxJsonSchema } from 'rxdb';
import { getFetchWithCouchDBAuthorization, replicateCouchDB } from 'rxdb/plugins/replication-couchdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateDataKey } from '../../app/crypto/keys';
import { openRecord, sealRecord, type SealedRecord } from '../../app/records/sealed-record';
import { enrolled, startHubProcess, type Credentials, type HubProcess, type LogLine } from './test-support';

// End to end through the front: a real PouchDB (the CouchDB replication
// protocol as PouchDB speaks it) and RxDB 17's replication-couchdb plugin (what
// the workstation will run) replicate real sealed records to and from the hub
// over HTTP Basic.

// A real process doing real scrypt and LevelDB work: generous when the whole suite runs in parallel.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

let hub: HubProcess;
let workstation: Credentials;
let scratch: string;
let dataKey: CryptoKey;

beforeAll(async () => {
  hub = await startHubProcess();
  const clinicId = hub.admin('create-clinic', '--name', 'Replication clinic').stdout;
  workstation = await enrolled(hub.url, hub.admin('issue-code', '--clinic', clinicId).stdout);
  scratch = await mkdtemp(join(tmpdir(), 'clinic-hub-replication-'));
  dataKey = await generateDataKey();
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const remote = (): PouchDatabase => new PouchDB(`${hub.url}${workstation.databases.records}`, { auth: { username: workstation.workstationId, password: workstation.secret } });

async function sealedRecords(count: number, prefix: string): Promise<SealedRecord[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const id = `${prefix}-${String(i).padStart(3, '0')}`;
      const header = { id, type: 'observation' as const, clinicId: workstation.clinicId, subject: `patient-${i % 7}`, updatedAt: 1_700_000_000_000 + i, hlc: `${String(1_700_000_000_000 + i).padStart(15, '0')}-00000-ws`, deleted: false };
      return sealRecord(dataKey, header, { code: '59408-5', value: 90 + (i % 10), unit: '%', note: `reading ${i}` });
    }),
  );
}

/** The record as CouchDB holds it (RxDB's primary key `id` becomes `_id`, which is how RxDB's plugin writes it too). */
const toCouch = ({ id, ...rest }: SealedRecord): PouchDocument => ({ _id: id, ...rest });

/** The hub's request log lines since `index`, once the pipe has delivered them. */
async function requestsSince(index: number): Promise<LogLine[]> {
  for (let seen = -1; seen !== hub.logs.length; ) {
    seen = hub.logs.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return hub.logs.slice(index).filter((line) => line.event === 'http.request');
}

const comparable = async (db: PouchDatabase) =>
  (await db.allDocs({ include_docs: true })).rows.filter((row) => !row.id.startsWith('_')).map((row) => row.doc);

describe('PouchDB through the front', () => {
  it('pushes 100 sealed records to the hub and pulls them back identical, then round-trips edits and deletions', async () => {
    const logsBefore = hub.logs.length;
    const source = new PouchDB(join(scratch, 'source'));
    const records = await sealedRecords(100, 'obs');
    expect((await source.bulkDocs(records.map(toCouch))).every((r) => r.ok)).toBe(true);

    const pushed = await PouchDB.replicate(source, remote());
    expect(pushed).toMatchObject({ ok: true, docs_written: 100, doc_write_failures: 0 });
    expect((await remote().info()).doc_count).toBe(100);

    const copy = new PouchDB(join(scratch, 'copy'));
    const pulled = await PouchDB.replicate(remote(), copy);
    expect(pulled).toMatchObject({ ok: true, docs_written: 100, doc_write_failures: 0 });
    // Identical: same ids, same revisions, same sealed bytes.
    expect(await comparable(copy)).toEqual(await comparable(source));
    const first = (await copy.get('obs-000')) as unknown as PouchDocument & Omit<SealedRecord, 'id'>;
    const { _id, _rev, ...fields } = first;
    expect(_rev).toMatch(/^1-/);
    expect(await openRecord(dataKey, { id: _id, ...fields })).toMatchObject({ note: 'reading 0' });

    // Edits and deletions made on the copy travel back through the hub to the source.
    const docs = await comparable(copy);
    const changed = docs.slice(0, 10).map((doc) => ({ ...doc!, hlc: `${doc!.hlc as string}-edited` }));
    const deleted = docs.slice(10, 15).map((doc) => ({ ...doc!, _deleted: true }));
    expect((await copy.bulkDocs([...changed, ...deleted])).every((r) => r.ok)).toBe(true);
    expect((await PouchDB.replicate(copy, remote())).docs_written).toBe(15);
    expect((await PouchDB.replicate(remote(), source)).docs_written).toBe(15);
    expect(await comparable(source)).toEqual(await comparable(copy));
    expect((await source.info()).doc_count).toBe(95);

    // A second replication resumes from its checkpoint (kept in _local on both sides): nothing to do.
    expect((await PouchDB.replicate(source, remote())).docs_written).toBe(0);
    await Promise.all([source.close(), copy.close()]);

    // What PouchDB's replicator asked for, as the hub logged it: the allow-list's PouchDB part, all handled by the engine.
    const requests = await requestsSince(logsBefore);
    expect(new Set(requests.map((line) => `${String(line.method)} ${String(line.kind)}`))).toEqual(
      new Set(['GET health', 'GET database-info', 'GET checkpoint', 'PUT checkpoint', 'GET changes', 'POST revs-diff', 'POST bulk-docs', 'POST bulk-get']),
    );
    // 404 is a first replication's missing checkpoint.
    expect(requests.every((line) => [200, 201, 404].includes(line.status as number))).toBe(true);
  }, 60_000);
});

const recordsSchema: RxJsonSchema<SealedRecord> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', maxLength: 64 },
    type: { type: 'string', maxLength: 16 },
    clinicId: { type: 'string', maxLength: 64 },
    subject: { type: 'string', maxLength: 64 },
    updatedAt: { type: 'integer', minimum: 0, maximum: 1e15, multipleOf: 1 },
    hlc: { type: 'string', maxLength: 64 },
    deleted: { type: 'boolean' },
    sealed: { type: 'string' },
  },
  required: ['id', 'type', 'clinicId', 'subject', 'updatedAt', 'hlc', 'deleted', 'sealed'],
};

describe('RxDB 17 replication-couchdb through the front', () => {
  let rx: RxDatabase<{ records: RxCollection<SealedRecord> }>;

  beforeAll(async () => {
    rx = await createRxDatabase<{ records: RxCollection<SealedRecord> }>({ name: `hubtest${Date.now()}`, storage: getRxStorageMemory(), multiInstance: false });
    await rx.addCollections({ records: { schema: recordsSchema } });
  });

  afterAll(async () => {
    await rx?.close();
  });

  const replicate = (live: boolean) =>
    replicateCouchDB<SealedRecord>({
      replicationIdentifier: `hub-${workstation.databases.records}`,
      collection: rx.records,
      url: `${hub.url}${workstation.databases.records}/`,
      fetch: getFetchWithCouchDBAuthorization(workstation.workstationId, workstation.secret),
      live,
      waitForLeadership: false,
      pull: { batchSize: 30 },
      push: { batchSize: 30 },
    });

  it('pulls what the hub holds and pushes its own records, with the plugin’s exact requests', async () => {
    const own = await sealedRecords(20, 'rx');
    await rx.records.bulkInsert(own);
    const logsBefore = hub.logs.length;
    const state = replicate(false);
    const errors: unknown[] = [];
    state.error$.subscribe((error) => errors.push(error));
    await state.awaitInitialReplication();
    await state.cancel();
    expect(errors).toEqual([]);
    // What the plugin asked for, as the hub logged it: exactly the allow-list's RxDB part, all granted.
    const requests = await requestsSince(logsBefore);
    expect(new Set(requests.map((line) => `${String(line.method)} ${String(line.kind)}`))).toEqual(new Set(['GET changes', 'POST all-docs', 'POST bulk-docs']));
    expect(requests.every((line) => (line.status as number) < 300 && line.engine === true)).toBe(true);

    // 95 live records from the PouchDB round trip (and 5 tombstones) came down; 20 went up.
    expect(await rx.records.count().exec()).toBe(115);
    expect((await remote().info()).doc_count).toBe(115);
    const pushed = (await remote().get('rx-007'));
    expect(pushed.sealed).toBe(own[7]!.sealed);
    const pulled = await rx.records.findOne('obs-050').exec();
    expect(await openRecord(dataKey, pulled!.toJSON() as SealedRecord)).toMatchObject({ note: 'reading 50' });
  }, 60_000);

  it('follows the hub live over the longpoll feed, both ways', async () => {
    const state = replicate(true);
    const errors: unknown[] = [];
    state.error$.subscribe((error) => errors.push(error));
    await state.awaitInitialReplication();

    const [fromHub] = await sealedRecords(1, 'live-hub');
    expect((await remote().put(toCouch(fromHub!))).ok).toBe(true);
    await expect.poll(async () => (await rx.records.findOne(fromHub!.id).exec())?.sealed, { timeout: 15_000 }).toBe(fromHub!.sealed);

    const [fromRx] = await sealedRecords(1, 'live-rx');
    await rx.records.insert(fromRx!);
    const sealedOnHub = async (): Promise<unknown> => {
      const doc = await remote().get(fromRx!.id).catch(() => undefined);
      return doc?.sealed;
    };
    await expect.poll(sealedOnHub, { timeout: 15_000 }).toBe(fromRx!.sealed);

    await state.cancel();
    expect(errors).toEqual([]);
  }, 60_000);
});
