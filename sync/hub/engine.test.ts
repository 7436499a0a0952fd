import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllDocsByKeys } from './all-docs-by-keys';
import { startEngine, type Engine } from './engine';
import { createLogger, type LogField } from '../../app/log/logger';

// The engine alone, in process, with nothing in front: what it would expose if
// the front had a hole, and how it fails. (front.ts is what makes it safe.)

const db = `clinic-${'b'.repeat(32)}-records`;
let dir: string;
let engine: Engine;
let server: Server;
let base: string;
/** The same engine, told what the front routed each request to, as the front tells it. */
let routedServer: Server;
let routedBase: string;
const logged: { event: string; fields: Record<string, LogField> }[] = [];
let nextBody: unknown = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clinic-hub-engine-'));
  const log = createLogger((line) => {
    const { event, ...fields } = JSON.parse(line) as { event: string } & Record<string, LogField>;
    logged.push({ event, fields });
  });
  engine = await startEngine(dir, log);
  await engine.ensureDatabases([db]);
  server = createServer((req, res) => engine.handle(req, res, nextBody));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  routedServer = createServer((req, res) => engine.handle(req, res, nextBody, { operation: 'all-docs', database: db }));
  await new Promise<void>((resolve) => routedServer.listen(0, '127.0.0.1', resolve));
  routedBase = `http://127.0.0.1:${(routedServer.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  routedServer?.closeAllConnections();
  await new Promise((resolve) => routedServer?.close(resolve));
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the engine behind the front', () => {
  it('creates databases once and serves them', async () => {
    await engine.ensureDatabases([db]); // again: a no-op
    const info = (await (await fetch(base + db)).json()) as { db_name: string; doc_count: number };
    expect(info).toMatchObject({ db_name: db, doc_count: 0 });
  });

  it('has none of pouchdb-server’s server endpoints, even when asked directly (404, or 400 from its document routes)', async () => {
    for (const [method, path] of [
      ['GET', '_all_dbs'],
      ['GET', '_utils/'],
      ['GET', '_config'],
      ['GET', '_session'],
      ['POST', '_replicate'],
      ['GET', '_active_tasks'],
      ['GET', `${db}/_security`],
      ['POST', `${db}/_find`],
    ] as const) {
      expect((await fetch(base + path, { method })).status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
    }
  });

  it('answers an internal failure with JSON and no stack trace, and logs only its class', async () => {
    nextBody = null; // a body the front would never pass: the router throws on it
    const response = await fetch(`${base}${db}/doc`, { method: 'PUT' });
    nextBody = {};
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: 'internal', reason: expect.any(String) as unknown });
    expect(text).not.toMatch(/at .*\.js/);
    expect(logged).toContainEqual({ event: 'engine.error', fields: expect.objectContaining({ name: 'TypeError' }) as unknown });
  });

  it('answers _all_docs for a list of keys row for row as PouchDB does (document, update, deletion, conflict, never written)', async () => {
    const send = async (url: string, method: string, body: unknown) => {
      nextBody = body;
      const response = await fetch(url, { method, ...(method === 'POST' ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}) });
      nextBody = {};
      return { status: response.status, json: (await response.json()) as unknown };
    };
    const write = (docs: unknown[], extra: Record<string, unknown> = {}) => send(`${base}${db}/_bulk_docs`, 'POST', { docs, ...extra });
    const [once, twice, gone] = (await write([{ _id: 'k-once', n: 1 }, { _id: 'k-twice', n: 1 }, { _id: 'k-gone', n: 1 }])).json as { rev: string }[];
    await write([{ _id: 'k-twice', _rev: twice!.rev, n: 2 }, { _id: 'k-gone', _rev: gone!.rev, _deleted: true }]);
    // Two branches, as replication with new_edits=false can leave them.
    await write([{ _id: 'k-split', _rev: '1-aaaa', side: 'a' }, { _id: 'k-split', _rev: '1-bbbb', side: 'b' }], { new_edits: false });
    expect(once).toBeDefined();

    const keys = ['k-twice', 'k-never', 'k-once', 'k-gone', 'k-split'];
    const requests: [string, string, unknown][] = [
      ['POST', '', { keys, include_docs: true, deleted: 'ok' }],
      ['POST', '', { keys }],
      ['POST', '', { keys, include_docs: true, conflicts: true }],
      ['GET', `?include_docs=true&keys=${encodeURIComponent(JSON.stringify(keys))}`, {}],
    ];
    for (const [method, query, body] of requests) {
      // The routed engine answers these itself, not through the router.
      expect(readAllDocsByKeys(new URLSearchParams(query), body), `${method} ${query}`).toBeDefined();
      const ours = await send(`${routedBase}${db}/_all_docs${query}`, method, body);
      const pouchdbs = await send(`${base}${db}/_all_docs${query}`, method, body);
      expect(ours).toEqual(pouchdbs);
    }
    const answer = (await send(`${routedBase}${db}/_all_docs`, 'POST', { keys, include_docs: true })).json as { rows: unknown[] };
    expect(answer.rows).toMatchObject([
      { id: 'k-twice', value: { rev: expect.stringMatching(/^2-/) as unknown }, doc: { n: 2 } },
      { key: 'k-never', error: 'not_found' },
      { id: 'k-once', doc: { n: 1 } },
      { id: 'k-gone', value: { deleted: true }, doc: null },
      { id: 'k-split', doc: { side: 'b' } },
    ]);
    // Other forms of _all_docs are the router's.
    expect(readAllDocsByKeys(new URLSearchParams('limit=2'), {})).toBeUndefined();
    expect(readAllDocsByKeys(new URLSearchParams(''), { keys, skip: 1 })).toBeUndefined();
  });
});
