import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Engine } from './engine';
import { createLogger, type LogField } from './log';

// The engine alone, in process, with nothing in front: what it would expose if
// the front had a hole, and how it fails. (front.ts is what makes it safe.)

const db = `clinic-${'b'.repeat(32)}-records`;
let dir: string;
let engine: Engine;
let server: Server;
let base: string;
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
});

afterAll(async () => {
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
});
