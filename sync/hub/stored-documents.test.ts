import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { maxSealedChars } from '../../app/records/sealed-record';
import { maxDocs, maxDocumentKeys } from '../protocol/requests';
import { basic, enrolled, rawRequest, sealedShape, startHubProcess, type Credentials, type HubProcess } from './test-support';

// What the hub stores: only sealed documents of the clinic whose database
// they are sent to, whatever a workstation (buggy or hostile, with valid
// credentials) sends; and no request larger than replication needs.

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let hub: HubProcess;
let a: Credentials;
let b: Credentials;

beforeAll(async () => {
  hub = await startHubProcess();
  a = await enrolled(hub.url, hub.admin('issue-code', '--clinic', hub.admin('create-clinic', '--name', 'Clinic A').stdout).stdout);
  b = await enrolled(hub.url, hub.admin('issue-code', '--clinic', hub.admin('create-clinic', '--name', 'Clinic B').stdout).stdout);
});

afterAll(async () => {
  await hub?.stop();
});

const headers = () => ({ Authorization: basic(a.workstationId, a.secret), 'Content-Type': 'application/json' });
const records = (path = '') => `${hub.url}${a.databases.records}${path}`;
const staff = (path = '') => `${hub.url}${a.databases.staff}${path}`;
const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: headers(), body: JSON.stringify(body) });

type Row = { ok?: true; id: string; rev?: string; error?: string; reason?: string };

async function stored(url: string, id: string): Promise<boolean> {
  const response = await fetch(`${url}/${id}`, { headers: headers() });
  await response.body?.cancel();
  return response.status === 200;
}

const staffAccount = (id: string, extra: Record<string, unknown> = {}) => ({
  _id: id,
  clinicId: a.clinicId,
  username: 'mary',
  wrap: { kdf: 'PBKDF2-SHA256', iterations: 600_000, salt: 'c2FsdHNhbHRzYWx0c2FsdA==', iv: 'aXZpdml2aXZpdml2', wrapped: 'd3JhcHBlZHdyYXBwZWR3cmFwcGVk' },
  updatedAt: 1,
  hlc: '001700000000000-00000-ws-test',
  claims: (sealedShape(a.clinicId, { _id: 'x' }) as { sealed: string }).sealed,
  ...extra,
});

describe('the documents the hub stores', () => {
  it('stores the sealed records of a batch and refuses, one by one, those that are not sealed or name another clinic', async () => {
    const good = sealedShape(a.clinicId, { _id: 'rec-good' });
    const docs = [
      good,
      { _id: 'rec-clear', type: 'patient', clinicId: a.clinicId, name: 'Amina Diallo', phone: '+260 97 123 4567' },
      sealedShape(a.clinicId, { _id: 'rec-extra', name: 'Amina Diallo' }),
      sealedShape(b.clinicId, { _id: 'rec-other-clinic' }),
      sealedShape(a.clinicId, { _id: 'rec-not-sealed', sealed: 'Amina Diallo, HIV positive' }),
      sealedShape(a.clinicId, { _id: 'rec-good-2' }),
    ];
    const response = await post(records('/_bulk_docs'), { docs });
    expect(response.status).toBe(201);
    const rows = (await response.json()) as Row[];
    expect(rows.map((row) => [row.id, row.ok ?? row.error])).toEqual([
      ['rec-good', true],
      ['rec-clear', 'forbidden'],
      ['rec-extra', 'forbidden'],
      ['rec-other-clinic', 'forbidden'],
      ['rec-not-sealed', 'forbidden'],
      ['rec-good-2', true],
    ]);
    for (const row of rows.filter((r) => r.error)) {
      expect(row.reason).toMatch(/^Refused: /);
      expect(row.reason!.toLowerCase()).not.toContain('amina');
      expect(await stored(records(), row.id)).toBe(false);
    }
    expect(rows[1]!.reason).toContain('name');
    expect(rows[3]!.reason).toContain('another clinic');
    expect(await stored(records(), 'rec-good')).toBe(true);
    expect(await stored(records(), 'rec-good-2')).toBe(true);
  });

  it('answers a replicator’s batch (new_edits: false) with only the refusals, and stores the rest', async () => {
    const docs = [
      sealedShape(a.clinicId, { _id: 'repl-good', _rev: '1-abc', _revisions: { start: 1, ids: ['abc'] } }),
      { _id: 'repl-clear', _rev: '1-def', _revisions: { start: 1, ids: ['def'] }, name: 'Amina' },
    ];
    const response = await post(records('/_bulk_docs'), { docs, new_edits: false });
    expect(response.status).toBe(201);
    expect(((await response.json()) as Row[]).map((row) => [row.id, row.error])).toEqual([['repl-clear', 'forbidden']]);
    expect(await stored(records(), 'repl-good')).toBe(true);
    expect(await stored(records(), 'repl-clear')).toBe(false);
  });

  it('refuses a single clear document written with PUT (403), and stores a sealed one', async () => {
    const clear = await fetch(records('/put-clear'), { method: 'PUT', headers: headers(), body: JSON.stringify({ name: 'Amina', phone: '0971234567' }) });
    expect(clear.status).toBe(403);
    const refusal = (await clear.json()) as { error: string; reason: string };
    expect(refusal.error).toBe('forbidden');
    expect(refusal.reason.toLowerCase()).not.toContain('amina');
    expect(await stored(records(), 'put-clear')).toBe(false);
    const sealed = await fetch(records('/put-sealed'), { method: 'PUT', headers: headers(), body: JSON.stringify(sealedShape(a.clinicId, { _id: 'put-sealed' })) });
    expect(sealed.status).toBe(201);
  });

  it('takes a deletion as the sealed record marked deleted, and refuses a bare one, by CouchDB’s DELETE or a tombstone', async () => {
    const put = (await (await fetch(records('/to-delete'), { method: 'PUT', headers: headers(), body: JSON.stringify(sealedShape(a.clinicId, { _id: 'to-delete' })) })).json()) as Row;
    expect((await fetch(records(`/to-delete?rev=${put.rev!}`), { method: 'DELETE', headers: headers() })).status).toBe(403);
    const bare = (await (await post(records('/_bulk_docs'), { docs: [{ _id: 'to-delete', _rev: put.rev, _deleted: true }] })).json()) as Row[];
    expect(bare[0]!.error).toBe('forbidden');
    expect(await stored(records(), 'to-delete')).toBe(true);
    const sealed = (await (await post(records('/_bulk_docs'), { docs: [sealedShape(a.clinicId, { _id: 'to-delete', _rev: put.rev, _deleted: true, deleted: true })] })).json()) as Row[];
    expect(sealed[0]!.ok).toBe(true);
    expect(await stored(records(), 'to-delete')).toBe(false);
  });

  it('stores staff accounts in the staff database, and nothing else there', async () => {
    const response = await post(staff('/_bulk_docs'), {
      docs: [staffAccount('staff-good'), staffAccount('staff-clear-claims', { claims: '{"role":"admin"}' }), sealedShape(a.clinicId, { _id: 'record-in-staff' }), staffAccount('staff-other', { clinicId: b.clinicId })],
    });
    expect(((await response.json()) as Row[]).map((row) => row.ok ?? row.error)).toEqual([true, 'forbidden', 'forbidden', 'forbidden']);
  });
});

describe('requests larger than replication needs', () => {
  it('refuses a document with more fields than any replicated one, a batch over the client’s, and a record over the size bound', async () => {
    const fields = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 1]));
    const someKeys = await post(records('/_bulk_docs'), { docs: [{ _id: 'wide', ...fields(maxDocumentKeys) }] });
    expect(someKeys.status).toBe(400);
    expect(((await someKeys.json()) as { reason: string }).reason).toContain(`at most ${maxDocumentKeys} fields`);
    // Refused before it is parsed: parsing it alone would hold the hub's thread.
    const manyKeys = await post(records('/_bulk_docs'), { docs: [{ _id: 'wide', ...fields(150_000) }] });
    expect(manyKeys.status).toBe(400);
    expect(((await manyKeys.json()) as { reason: string }).reason).toContain(`more than ${maxDocs} fields`);
    // Past twice the body limit the hub answers from the declared length alone and closes, reading nothing.
    // Only the headers are sent: body bytes arriving as it closes would make its kernel answer with a reset
    // that can erase the 413 before the client reads it (that is the point of closing on such a body).
    const huge = await rawRequest(records('/_bulk_docs'), { method: 'POST', headers: { ...headers(), 'Content-Length': String(5 * 1024 * 1024) }, body: [] });
    expect(huge.status).toBe(413);

    const tooMany = await post(records('/_bulk_docs'), { docs: Array.from({ length: maxDocs + 1 }, (_, i) => sealedShape(a.clinicId, { _id: `many-${i}` })) });
    expect(tooMany.status).toBe(400);
    const full = await post(records('/_bulk_docs'), { docs: Array.from({ length: maxDocs }, (_, i) => sealedShape(a.clinicId, { _id: `full-${i}` })) });
    expect(full.status).toBe(201);

    const big = sealedShape(a.clinicId, { _id: 'big', sealed: `v1.${'A'.repeat(16)}.${'B'.repeat(maxSealedChars)}` });
    const rows = (await (await post(records('/_bulk_docs'), { docs: [big] })).json()) as Row[];
    expect(rows[0]!.error).toBe('forbidden');
  });

  it('bounds what one read may ask for: _revs_diff, _bulk_get, _all_docs and the change feed', async () => {
    const ids = Array.from({ length: maxDocs + 1 }, (_, i) => `full-${i}`);
    expect((await post(records('/_revs_diff'), Object.fromEntries(ids.map((id) => [id, ['1-abc']])))).status).toBe(400);
    expect((await post(records('/_revs_diff'), { one: Array.from({ length: 1_000 }, (_, i) => `${i + 1}-abc`), ...Object.fromEntries(ids.slice(0, 10).map((id) => [id, Array.from({ length: 1_000 }, (_, i) => `${i + 1}-abc`)])) })).status).toBe(400);
    expect((await post(records('/_bulk_get'), { docs: ids.map((id) => ({ id })) })).status).toBe(400);
    expect((await fetch(records('/_all_docs'), { headers: headers() })).status).toBe(400);
    expect((await fetch(records(`/_all_docs?limit=${maxDocs + 1}`), { headers: headers() })).status).toBe(400);
    expect((await post(records('/_all_docs'), { include_docs: true })).status).toBe(400);
    expect((await fetch(records('/_all_docs?limit=10'), { headers: headers() })).status).toBe(200);
    expect((await post(records('/_all_docs'), { keys: ids.slice(0, 10) })).status).toBe(200);

    // More than one batch stored: the feed answers one batch, and the rest from where it stopped.
    await post(records('/_bulk_docs'), { docs: Array.from({ length: 100 }, (_, i) => sealedShape(a.clinicId, { _id: `more-${i}` })) });
    const first = (await (await fetch(records('/_changes?since=0&limit=5000'), { headers: headers() })).json()) as { results: unknown[]; last_seq: number };
    expect(first.results).toHaveLength(maxDocs);
    const rest = (await (await fetch(records(`/_changes?since=${first.last_seq}`), { headers: headers() })).json()) as { results: unknown[] };
    expect(rest.results.length).toBeGreaterThan(0);
    expect(rest.results.length).toBeLessThan(maxDocs);
  });
});
