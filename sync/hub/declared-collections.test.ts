import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PouchDB, { type PouchDocument } from 'pouchdb-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { declareCollections, replicatedCollections } from '../../app/replication/replicated-collections';
import { createClinicCommand, issueCodeCommand } from './admin';
import { documentShapes } from './document-rules';
import { startHub, type RunningHub } from './hub';
import { openRegistryStore } from './registry-store';
import { basic, enrolled, sealedShape, type Credentials } from './test-support';

// The hub's databases, allow-list and document checks follow the declared
// replicated collections: a real hub (its HTTP front, registry and LevelDB
// engine, in this process) given two test-only entries more than this
// version's, and nothing else, serves them by their declarations. Run against
// the same data folder with this version's list, the same names are refused,
// so it is the entries, not anything else, that open them.

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

/** Bulletins: clear, one for every clinic of the hub, pulled by every workstation, written only by the hub operator (as the facility directory is). */
const bulletins = { name: 'bulletins', content: 'clear', direction: 'pull', scope: 'shared', writtenBy: 'hub-operator' } as const;
/** Something workstations only send (sealed, per clinic): never read back through the feed. */
const outbox = { name: 'outbox', content: 'sealed', direction: 'push', scope: 'clinic', writtenBy: 'workstations' } as const;
const withTestEntries = declareCollections([...replicatedCollections, bulletins, outbox]);
// The outbox's own code on the hub: its documents' shape (here, a sealed record's).
const shapes = { ...documentShapes, outbox: { ...documentShapes.records, called: 'outbox entries' } };

let dataDir: string;
let hub: RunningHub;
let a: Credentials;
let b: Credentials;

const start = (collections: typeof withTestEntries | typeof replicatedCollections = withTestEntries) => startHub({ port: 0, dataDir, collections, documentShapes: shapes });
const as = (c: Credentials) => ({ Authorization: basic(c.workstationId, c.secret), 'Content-Type': 'application/json' });
const call = (c: Credentials, method: string, path: string, body?: unknown) =>
  fetch(`${hub.url}${path}`, { method, headers: as(c), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const docCount = async (c: Credentials, database: string) => ((await (await call(c, 'GET', database)).json()) as { doc_count: number }).doc_count;

/** What the hub operator's own tooling would do: write to the engine's store directly, with the hub stopped (LevelDB allows one process). */
async function operatorWrites(database: string, doc: PouchDocument): Promise<void> {
  await hub.close();
  const Pouch = PouchDB.defaults({ prefix: `${join(dataDir, 'databases')}/` });
  const db = new Pouch(database);
  try {
    await db.put(doc);
  } finally {
    await db.close();
  }
  hub = await start();
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'declared-collections-'));
  hub = await start();
  const store = await openRegistryStore(dataDir);
  const code = async (name: string) => (await issueCodeCommand(store, { clinic: await createClinicCommand(store, { name }) })).code;
  a = await enrolled(hub.url, await code('Clinic A'));
  b = await enrolled(hub.url, await code('Clinic B'));
});

afterAll(async () => {
  await hub?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a collection declared for the hub', () => {
  it('gets its databases without other edits: one shared by every clinic, one per clinic, named at enrollment and in the session', async () => {
    const databases = a.databases as Record<string, string>;
    expect(databases).toEqual({ records: `${a.clinicId}-records`, staff: `${a.clinicId}-staff`, facilities: 'shared-facilities', bulletins: 'shared-bulletins', outbox: `${a.clinicId}-outbox` });
    expect((b.databases as Record<string, string>).bulletins).toBe('shared-bulletins');
    const session = (await (await call(b, 'GET', '_session')).json()) as { clinic: { databases: unknown } };
    expect(session.clinic.databases).toEqual(b.databases);
    // The hub created them (a database it does not hold answers 404, never made on the way).
    for (const [c, database] of [[a, 'shared-bulletins'], [b, 'shared-bulletins'], [a, `${a.clinicId}-outbox`]] as const) {
      const info = await call(c, 'GET', database);
      expect(info.status, database).toBe(200);
      expect(((await info.json()) as { db_name: string }).db_name).toBe(database);
    }
    // Another clinic's per-clinic database stays out of reach.
    expect((await call(b, 'GET', `${a.clinicId}-outbox`)).status).toBe(403);
  });

  it('refuses every workstation write to the facility directory, before reading the body', async () => {
    const before = await docCount(a, 'shared-bulletins');
    const attempts: [string, string, unknown][] = [
      ['POST', 'shared-bulletins/_bulk_docs', { docs: [{ _id: 'facility-planted', name: 'Planted clinic' }] }],
      // Even a document in the sealed form of the workstation's own clinic: it is who writes that is refused.
      ['POST', 'shared-bulletins/_bulk_docs', { docs: [sealedShape(a.clinicId, { _id: 'facility-sealed' })] }],
      ['PUT', 'shared-bulletins/facility-planted', { name: 'Planted clinic' }],
      ['PUT', 'shared-bulletins/_local/checkpoint', { last_seq: 1 }],
      ['PUT', 'shared-bulletins', undefined],
    ];
    for (const [method, path, body] of attempts) {
      const response = await call(a, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(((await response.json()) as { reason: string }).reason).toMatch(/kept by the hub operator/);
    }
    expect(await docCount(a, 'shared-bulletins')).toBe(before);
  });

  it('lets every clinic’s workstations pull what the hub operator wrote there', async () => {
    await operatorWrites('shared-bulletins', { _id: 'facility-1', name: 'Kisiwa Health Centre', district: 'Pwani' });
    for (const c of [a, b]) {
      const feed = (await (await call(c, 'GET', 'shared-bulletins/_changes?since=0&include_docs=true')).json()) as { results: { id: string; doc: { name: string } }[] };
      expect(feed.results.map((row) => [row.id, row.doc.name])).toEqual([['facility-1', 'Kisiwa Health Centre']]);
      const byKeys = (await (await call(c, 'POST', 'shared-bulletins/_all_docs', { keys: ['facility-1'], include_docs: true })).json()) as { rows: { id: string }[] };
      expect(byKeys.rows.map((row) => row.id)).toEqual(['facility-1']);
      expect((await call(c, 'GET', 'shared-bulletins/facility-1')).status).toBe(200);
    }
  });

  it('takes a push-only collection’s sealed documents but never reads them back through the feed, and checks them by its shape', async () => {
    const outboxDb = `${a.clinicId}-outbox`;
    const stored = (await (await call(a, 'POST', `${outboxDb}/_bulk_docs`, { docs: [sealedShape(a.clinicId, { _id: 'sent-1' }), { _id: 'sent-clear', clinicId: a.clinicId, name: 'Amina Diallo' }] })).json()) as {
      id: string;
      ok?: boolean;
      error?: string;
      reason?: string;
    }[];
    expect(stored.map((row) => [row.id, row.ok === true ? 'stored' : row.error])).toEqual([
      ['sent-1', 'stored'],
      ['sent-clear', 'forbidden'],
    ]);
    expect(stored[1]?.reason).toMatch(/Only sealed outbox entries are stored on the hub/);
    const feed = await call(a, 'GET', `${outboxDb}/_changes?since=0`);
    expect(feed.status).toBe(403);
    expect(((await feed.json()) as { reason: string }).reason).toMatch(/sent to the hub only/);
  });

  it('is refused by a hub whose declarations do not have it, on the same data', async () => {
    await hub.close();
    hub = await start(replicatedCollections);
    try {
      for (const path of ['shared-bulletins', 'shared-bulletins/_changes?since=0', `${a.clinicId}-outbox`]) {
        const response = await call(a, 'GET', path);
        expect(response.status, path).toBe(403);
        expect(((await response.json()) as { reason: string }).reason).toMatch(/Only your clinic’s databases/);
      }
      // While the declared ones work as before.
      expect((await call(a, 'GET', `${a.clinicId}-records`)).status).toBe(200);
      const session = (await (await call(a, 'GET', '_session')).json()) as { clinic: { databases: unknown } };
      expect(session.clinic.databases).toEqual({ records: `${a.clinicId}-records`, staff: `${a.clinicId}-staff`, facilities: 'shared-facilities' });
    } finally {
      await hub.close();
      hub = await start();
    }
  });
});
