import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateDataKey } from '../../app/crypto/keys';
import { maxSealedChars } from '../../app/records/sealed-record';
import { codeCommitment, composeEnrollmentCode, enrollmentProof, hubPartPattern, normalizeEnrollmentCode, unwrapDataKeyFromEnrollment, wrapDataKeyForEnrollment } from '../../app/enrollment/enrollment-code';
import { openRegistryStore } from './registry-store';
import { maxIntroducedGeneration } from '../protocol/requests';
import { codeDigest } from './secrets';
import { basic, depositCode, enrolled, enrollWithCode, rawRequest, sealedShape, startHubProcess, unissuedCode, type Credentials, type HubProcess, type LogLine } from './test-support';

// The real hub, as a child process, attacked from outside. Each refusal is
// checked for its status, its CouchDB-style JSON, and (from the hub's own
// request log) that the engine never saw the request.

// A real process doing real scrypt and LevelDB work: generous when the whole suite runs in parallel.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const allowedOrigin = 'http://127.0.0.1:8080';
let hub: HubProcess;
let clinicA: string;
let clinicB: string;
let a1: Credentials; // clinic A's first workstation (bootstrapped by the admin command)
let b1: Credentials; // clinic B's

beforeAll(async () => {
  hub = await startHubProcess(['--allow-origin', allowedOrigin, '--allow-origin', 'app://clinic']);
  clinicA = hub.admin('create-clinic', '--name', 'Clinic A').stdout;
  clinicB = hub.admin('create-clinic', '--name', 'Clinic B').stdout;
  a1 = await enrolled(hub.url, hub.admin('issue-code', '--clinic', clinicA).stdout, 'A front desk');
  b1 = await enrolled(hub.url, hub.admin('issue-code', '--clinic', clinicB).stdout, 'B front desk');
}, 60_000);

afterAll(async () => {
  await hub?.stop();
});

const as = (c: Credentials): Record<string, string> => ({ Authorization: basic(c.workstationId, c.secret) });
const json = { 'Content-Type': 'application/json' };
const call = (path: string, init: RequestInit = {}) => fetch(hub.url + path, init);

async function expectRefusal(response: Response, status: number): Promise<{ error: string; reason: string }> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/json');
  const body = (await response.json()) as { error: string; reason: string };
  expect(Object.keys(body).sort()).toEqual(['error', 'reason']);
  expect(body.reason.length).toBeGreaterThan(10);
  return body;
}

const requestLogs = () => hub.logs.filter((line) => line.event === 'http.request');

/** Sends, then reads the hub's log line for that request (the log is the hub's own account of whether the engine was called). */
async function logged<T>(send: () => Promise<T>): Promise<{ result: T; log: LogLine }> {
  // The log arrives over a pipe, possibly after the response: let earlier requests' lines land first.
  for (let seen = -1; seen !== requestLogs().length; ) {
    seen = requestLogs().length;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  const before = requestLogs().length;
  const result = await send();
  for (let i = 0; i < 100 && requestLogs().length === before; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  const fresh = requestLogs().slice(before);
  expect(fresh).toHaveLength(1);
  return { result, log: fresh[0]! };
}

async function expectStillServing(): Promise<void> {
  expect(hub.child.exitCode).toBeNull();
  const response = await call(a1.databases.records, { headers: as(a1) });
  expect(response.status).toBe(200);
  expect(((await response.json()) as { db_name: string }).db_name).toBe(a1.databases.records);
}

describe('without credentials', () => {
  it('answers GET / (health) with a CouchDB welcome and the hub id, nothing more', async () => {
    const response = await call('');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ couchdb: 'Welcome', vendor: { name: 'Clinic Workstation hub' }, uuid: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown });
  });

  it('refuses PUT /<db> with 401 before the engine: the pouchdb-server crash cannot be reached, and no database appears', async () => {
    for (const name of ['somedb', 'clinic-00000000000000000000000000000000-records', a1.databases.records]) {
      const { result, log } = await logged(() => call(name, { method: 'PUT' }));
      await expectRefusal(result, 401);
      expect(log).toMatchObject({ kind: expect.any(String) as unknown, status: 401, engine: false });
    }
    expect(existsSync(join(hub.dataDir, 'databases', 'somedb'))).toBe(false);
    expect(existsSync(join(hub.dataDir, 'databases', 'clinic-00000000000000000000000000000000-records'))).toBe(false);
    await expectStillServing();
  });

  it('refuses every engine and server endpoint with 401, the same answer for each', async () => {
    const reasons = new Set<string>();
    const targets: [string, string][] = [
      ['GET', a1.databases.records],
      ['GET', `${a1.databases.records}/_changes?since=0`],
      ['POST', `${a1.databases.records}/_bulk_docs`],
      ['GET', '_all_dbs'],
      ['GET', '_config'],
      ['PUT', '_users'],
      ['POST', '_replicate'],
      ['GET', '_session'],
      ['POST', '_clinic/enrollment-codes'],
      ['DELETE', a1.databases.records],
    ];
    for (const [method, path] of targets) {
      const { result, log } = await logged(() => call(path, { method, headers: json, body: method === 'POST' ? '{"docs":[]}' : undefined }));
      reasons.add((await expectRefusal(result, 401)).reason);
      expect(log.engine).toBe(false);
    }
    expect(reasons.size).toBe(1);
  });

  it('refuses a wrong secret, an unknown workstation and a malformed header alike (no hint which)', async () => {
    const wrongSecret = basic(a1.workstationId, 'A'.repeat(43));
    const unknown = basic(`ws-${'0'.repeat(32)}`, a1.secret);
    const malformed = [wrongSecret, unknown, 'Basic !!!', `Bearer ${a1.secret}`, basic(a1.workstationId, `${a1.secret}x`)];
    const bodies = new Set<string>();
    for (const authorization of malformed) {
      const { result, log } = await logged(() => call(a1.databases.records, { headers: { Authorization: authorization } }));
      bodies.add(JSON.stringify(await expectRefusal(result, 401)));
      expect(log.engine).toBe(false);
    }
    expect(bodies.size).toBe(1);
    // No browser sign-in prompt: the client always sends credentials itself.
    expect((await call(a1.databases.records)).headers.get('www-authenticate')).toBeNull();
  });
});

describe('one clinic cannot reach another', () => {
  it('refuses another clinic’s databases with 403, and unknown names the same way', async () => {
    const docsBefore = ((await (await call(b1.databases.records, { headers: as(b1) })).json()) as { doc_count: number }).doc_count;
    const attempts: [string, string, string?][] = [
      ['GET', b1.databases.records],
      ['GET', `${b1.databases.staff}/_changes?since=0&include_docs=true`],
      ['POST', `${b1.databases.records}/_all_docs`, '{"keys":["x"],"include_docs":true}'],
      ['POST', `${b1.databases.records}/_bulk_docs`, '{"docs":[{"_id":"planted","x":1}]}'],
      ['PUT', `${b1.databases.records}/planted`, '{"x":1}'],
      ['PUT', `${b1.databases.records}/_local/checkpoint`, '{"last_seq":1}'],
      ['GET', `clinic-${'f'.repeat(32)}-records`],
      ['PUT', `clinic-${'f'.repeat(32)}-records`],
    ];
    const reasons = new Set<string>();
    for (const [method, path, body] of attempts) {
      const { result, log } = await logged(() => call(path, { method, headers: { ...as(a1), ...json }, body }));
      reasons.add((await expectRefusal(result, 403)).reason);
      expect(log.engine).toBe(false);
    }
    expect(reasons.size).toBe(1);
    const docsAfter = ((await (await call(b1.databases.records, { headers: as(b1) })).json()) as { doc_count: number }).doc_count;
    expect(docsAfter).toBe(docsBefore);
    expect(existsSync(join(hub.dataDir, 'databases', `clinic-${'f'.repeat(32)}-records`))).toBe(false);
  });
});

describe('server and admin endpoints', () => {
  it('refuses everything replication does not need with 403, before the engine', async () => {
    const own = a1.databases.records;
    const attempts: [string, string, string?][] = [
      ['GET', '_all_dbs'],
      ['GET', '_config'],
      ['PUT', '_config/admins/mallory', '"secret"'],
      ['GET', '_users'],
      ['PUT', '_users/org.couchdb.user:mallory', '{"name":"mallory"}'],
      ['POST', '_session', '{"name":"a","password":"b"}'],
      ['DELETE', '_session'],
      ['POST', '_replicate', '{"source":"a","target":"b"}'],
      ['GET', '_active_tasks'],
      ['GET', '_uuids'],
      ['GET', '_utils/'],
      ['GET', '_node/_local/_config'],
      ['GET', '%5Fall_dbs'],
      ['PUT', 'another-db'],
      ['DELETE', own],
      ['POST', own, '{"x":1}'],
      ['GET', `${own}/_security`],
      ['PUT', `${own}/_security`, '{"admins":{}}'],
      ['POST', `${own}/_compact`],
      ['POST', `${own}/_purge`, '{}'],
      ['POST', `${own}/_find`, '{"selector":{}}'],
      ['POST', `${own}/_ensure_full_commit`],
      ['GET', `${own}/_design/x`],
      ['PUT', `${own}/_design/x`, '{"views":{}}'],
      ['GET', `${own}/_design%2Fx`],
      ['GET', `${own}/_design/x/_view/y`],
      ['PUT', `${own}/doc/attachment.txt`, 'hello'],
      ['GET', `${own}/_changes?feed=continuous`],
      ['GET', `${own}/_changes?filter=design/filter`],
      ['DELETE', `${own}/_local/checkpoint`],
      ['POST', `${own}/_bulk_docs`, '{"docs":[{"_id":"_design/x","views":{}}]}'],
      ['POST', `${own}/_bulk_docs`, '{"docs":[{"_id":"d","_attachments":{"a.txt":{"content_type":"text/plain","data":"aGk="}}}]}'],
      ['PUT', `${own}/d2`, '{"_attachments":{"a.txt":{"content_type":"text/plain","data":"aGk="}}}'],
    ];
    for (const [method, path, body] of attempts) {
      const { result, log } = await logged(() => call(path, { method, headers: { ...as(a1), ...json }, body }));
      const refusal = await expectRefusal(result, 403);
      expect(refusal.error).toBe('forbidden');
      expect(log.engine).toBe(false);
    }
    await expectStillServing();
  });

  it('passes what replication needs to the engine', async () => {
    const own = a1.databases.records;
    const headers = { ...as(a1), ...json };
    expect((await call(`${own}/`, { headers })).status).toBe(200);
    const put = await call(`${own}/doc-1`, { method: 'PUT', headers, body: JSON.stringify(sealedShape(a1.clinicId, { _id: 'doc-1', updatedAt: 1 })) });
    expect(put.status).toBe(201);
    const { rev } = (await put.json()) as { rev: string };
    expect(((await (await call(`${own}/doc-1`, { headers })).json()) as { updatedAt: number }).updatedAt).toBe(1);
    expect((await call(`${own}/_local/checkpoint-1`, { method: 'PUT', headers, body: '{"last_seq":3}' })).status).toBe(201);
    expect((await call(`${own}/_local/checkpoint-1`, { headers })).status).toBe(200);
    const diff = (await (await call(`${own}/_revs_diff`, { method: 'POST', headers, body: JSON.stringify({ 'doc-1': [rev, '2-abc'] }) })).json()) as Record<string, unknown>;
    expect(diff).toEqual({ 'doc-1': { missing: ['2-abc'] } });
    const got = (await (await call(`${own}/_bulk_get?revs=true`, { method: 'POST', headers, body: JSON.stringify({ docs: [{ id: 'doc-1', rev }] }) })).json()) as { results: unknown[] };
    expect(got.results).toHaveLength(1);
    // PUT of an existing database is the engine's own answer (412), as PouchDB expects.
    expect((await call(own, { method: 'PUT', headers })).status).toBe(412);
    // The session is ours to answer, for a client that wants to know where it belongs.
    const session = (await (await call('_session', { headers })).json()) as { userCtx: { name: string }; clinic: { databases: unknown } };
    expect(session.userCtx.name).toBe(a1.workstationId);
    expect(session.clinic.databases).toEqual(a1.databases);
  });
});

describe('CORS', () => {
  const own = () => `${hub.url}${a1.databases.records}`;

  it('gives a configured origin its header, and Electron’s app:// origin too', async () => {
    for (const origin of [allowedOrigin, 'app://clinic']) {
      const response = await rawRequest(own(), { headers: { ...as(a1), Origin: origin } });
      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe(origin);
      expect(response.headers.vary).toContain('Origin');
    }
  });

  it('refuses any other origin, with no CORS header (pouchdb-server would reflect it)', async () => {
    for (const origin of ['http://evil.example', 'null', `${allowedOrigin}/`, 'http://127.0.0.1:8081', 'HTTP://127.0.0.1:8080']) {
      const response = await rawRequest(own(), { headers: { ...as(a1), Origin: origin } });
      expect(response.status).toBe(403);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(JSON.parse(response.body)).toEqual({ error: 'forbidden', reason: expect.any(String) as unknown });
    }
  });

  it('answers an allowed preflight without credentials, and refuses the others', async () => {
    const preflight = (origin: string, method: string, headers = 'authorization, content-type') =>
      rawRequest(`${own()}/_bulk_docs`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': headers } });
    const ok = await preflight(allowedOrigin, 'POST');
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(allowedOrigin);
    expect(ok.headers['access-control-allow-methods']).toContain('POST');
    expect(ok.headers['access-control-allow-headers']).toContain('authorization');
    expect(Number(ok.headers['access-control-max-age'])).toBeGreaterThan(0);

    for (const refused of [await preflight('http://evil.example', 'POST'), await preflight(allowedOrigin, 'PATCH'), await preflight(allowedOrigin, 'POST', 'x-evil')]) {
      expect(refused.status).toBe(403);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});

describe('body limits and validation', () => {
  const bulk = () => `${hub.url}${a1.databases.records}/_bulk_docs`;
  /** Over the 2 MiB limit, under the twice that the hub reads and drops to answer a client still sending. */
  const threeMiB = () => Buffer.concat([Buffer.from('{"docs":[{"_id":"big","sealed":"'), Buffer.alloc(3 * 1024 * 1024, 'a'), Buffer.from('"}]}')]);

  it('answers 413 with a reason to a declared oversize body, and a client still sending it reads the answer', async () => {
    // The hub answers from the headers; closing on the unread body used to reset the
    // connection and, now and then, erase the answer before the client read it.
    const body = threeMiB();
    for (let i = 0; i < 8; i++) {
      const response = await rawRequest(bulk(), { method: 'POST', headers: { ...as(a1), ...json, 'Content-Length': String(body.length) }, body });
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body)).toEqual({ error: 'too_large', reason: expect.stringContaining('larger than this hub accepts') as unknown });
      const plain = await fetch(bulk(), { method: 'POST', headers: { ...as(a1), ...json }, body });
      expect(plain.status).toBe(413);
    }
    await expectStillServing();
  });

  it('answers a declared body larger than it would drop at once, and closes the connection instead of receiving it', async () => {
    const response = await rawRequest(bulk(), { method: 'POST', headers: { ...as(a1), ...json, 'Content-Length': String(100 * 1024 * 1024) }, body: '' });
    expect(response.status).toBe(413);
    expect(response.headers.connection).toBe('close');
    await expectStillServing();
  });

  it('answers 413 to a streamed (chunked) body once it passes the limit', async () => {
    const body = threeMiB();
    const chunks = Array.from({ length: Math.ceil(body.length / (256 * 1024)) }, (_, i) => body.subarray(i * 256 * 1024, (i + 1) * 256 * 1024));
    const response = await rawRequest(bulk(), { method: 'POST', headers: { ...as(a1), ...json }, body: chunks });
    expect(response.status).toBe(413);
    await expectStillServing();
  });

  it('accepts a large body under the limit', async () => {
    // Over 1.8 MB: seven records as large as a record may be (the sync client sends at most 1.5 million characters).
    const large = (i: number) => sealedShape(a1.clinicId, { _id: `large-${i}`, sealed: `v1.${'A'.repeat(16)}.${'B'.repeat(maxSealedChars - 24)}` });
    const body = JSON.stringify({ docs: Array.from({ length: 7 }, (_, i) => large(i)) });
    expect(body.length).toBeGreaterThan(1_800_000);
    const response = await call(`${a1.databases.records}/_bulk_docs`, { method: 'POST', headers: { ...as(a1), ...json }, body });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { ok?: boolean }[]).every((row) => row.ok)).toBe(true);
  });

  it('refuses bodies that are not JSON, not the protocol’s shape, or on a request that takes none', async () => {
    const own = a1.databases.records;
    const cases: [string, string, Record<string, string>, string | undefined, number][] = [
      ['POST', `${own}/_bulk_docs`, json, '{"docs":[', 400],
      ['POST', `${own}/_bulk_docs`, json, '{"docs":{}}', 400],
      ['POST', `${own}/_bulk_docs`, json, '{"docs":[],"all_or_nothing":true}', 400],
      ['POST', `${own}/_bulk_docs`, json, '{"docs":[{"_id":"x","__proto__":{"polluted":true}}]}', 400],
      ['POST', `${own}/_bulk_docs`, { 'Content-Type': 'text/plain' }, '{"docs":[]}', 415],
      ['POST', `${own}/_revs_diff`, json, '{"doc":"1-abc"}', 400],
      ['PUT', `${own}/doc-2`, json, '{"_id":"another-id"}', 400],
      ['GET', `${own}/_changes?since=0`, json, undefined, 200],
    ];
    for (const [method, path, headers, body, status] of cases) {
      const { result, log } = await logged(() => call(path, { method, headers: { ...as(a1), ...headers }, body }));
      expect(result.status).toBe(status);
      if (status !== 200) {
        await expectRefusal(result, status);
        expect(log.engine).toBe(false);
      }
    }
  });

  it('explains a refused body by schema path, never by echoing what was sent', async () => {
    const cases: [string, string, string][] = [
      ['POST', `${a1.databases.records}/_bulk_docs`, '{"docs":[],"amina_diallo_hiv":true}'],
      ['PUT', `${a1.databases.records}/amina-chart`, '{"_id":"amina-diallo"}'],
      ['POST', `${a1.databases.records}/_revs_diff`, '{"amina-diallo":"1-abc"}'],
    ];
    for (const [method, path, body] of cases) {
      const refusal = await expectRefusal(await call(path, { method, headers: { ...as(a1), ...json }, body }), 400);
      expect(refusal.reason).toMatch(/^The request body does not match/);
      expect(refusal.reason.toLowerCase()).not.toContain('amina');
    }
  });
});

describe('enrollment', () => {
  it('lets an admin workstation deposit a code with the wrapped data key, which the new workstation unwraps; the hub never holds what unwraps it', async () => {
    const dataKey = await generateDataKey();
    const logsBefore = hub.logs.length;
    const { response, code, secretPart } = await depositCode(hub.url, as(a1).Authorization!, (part) => wrapDataKeyForEnrollment(dataKey, part), 2);
    expect(response.status).toBe(201);
    const issued = (await response.json()) as { expiresAt: string; hubPart: string };
    expect(issued.expiresAt).toMatch(/^\d{4}-/);
    expect(issued.hubPart).toMatch(hubPartPattern);

    const a2 = await enrolled(hub.url, code!.toLowerCase().replace(/-/g, ' '), 'A exam room');
    expect(a2.clinicId).toBe(clinicA);
    expect(a2.databases).toEqual(a1.databases);
    const raw = async (key: CryptoKey) => new Uint8Array(await crypto.subtle.exportKey('raw', key));
    expect(await raw(await unwrapDataKeyFromEnrollment(a2.wrappedKey!, code!))).toEqual(await raw(dataKey));
    expect((await call(a2.databases.records, { headers: as(a2) })).status).toBe(200);

    // The hub keeps the wrap and a digest; neither the secret part (the wrap key's only input), nor the
    // commitment to it, nor the code, nor its own part is in the registry or the hub's log.
    const registryText = await readFile(join(hub.dataDir, 'hub-registry.json'), 'utf8');
    const commitment = await codeCommitment(secretPart);
    const stored = Object.values((await (await openRegistryStore(hub.dataDir)).read()).enrollmentCodes).find((c) => c.usedBy === a2.workstationId);
    expect(stored).toMatchObject({ issuedBy: a1.workstationId, usedBy: a2.workstationId, wrappedKey: a2.wrappedKey });
    const logText = JSON.stringify(hub.logs.slice(logsBefore));
    for (const secretThing of [secretPart, commitment, normalizeEnrollmentCode(code!)!, code!, issued.hubPart, a2.secret]) {
      expect(registryText).not.toContain(secretThing);
      expect(logText).not.toContain(secretThing);
    }
  });

  it('draws its own part of every code, so a workstation cannot deposit a code it chose', async () => {
    const chosen = 'A'.repeat(20); // a secret part anyone could guess
    const commitment = await codeCommitment(chosen);
    const deposit = (body: Record<string, unknown>) => call('_clinic/enrollment-codes', { method: 'POST', headers: { ...as(a1), ...json }, body: JSON.stringify(body) });
    // The old request, a proof made wholly by the workstation, and a deposit naming its own hub part are refused.
    await expectRefusal(await deposit({ codeProof: (await enrollmentProof(composeEnrollmentCode(chosen, '0'.repeat(10)))).commitment, wrappedKey: 'v1.a.b.c' }), 400);
    await expectRefusal(await deposit({ codeCommitment: commitment, hubPart: '0'.repeat(10), wrappedKey: 'v1.a.b.c' }), 400);

    const first = await deposit({ codeCommitment: commitment, wrappedKey: 'v1.a.b.c' });
    const second = await deposit({ codeCommitment: commitment, wrappedKey: 'v1.a.b.c' });
    expect([first.status, second.status]).toEqual([201, 201]);
    const [{ hubPart }, { hubPart: otherHubPart }] = (await Promise.all([first.json(), second.json()])) as [{ hubPart: string }, { hubPart: string }];
    expect(hubPart).not.toBe(otherHubPart);
    // Knowing the chosen part is not enough: the hub's part must be the one it drew.
    const guessed = await expectRefusal(await enrollWithCode(hub.url, composeEnrollmentCode(chosen, '0'.repeat(10))), 403);
    expect(guessed.reason).toContain('mistyped');
    expect((await enrollWithCode(hub.url, composeEnrollmentCode(chosen, hubPart))).status).toBe(201);
  });

  it('takes a code once: the second use is 410 Gone', async () => {
    const code = hub.admin('issue-code', '--clinic', clinicB, '--force').stdout;
    expect(code).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){5}$/);
    expect((await enrollWithCode(hub.url, code)).status).toBe(201);
    const again = await enrollWithCode(hub.url, code);
    expect((await expectRefusal(again, 410)).error).toBe('gone');
  });

  it('refuses an expired code', async () => {
    const code = hub.admin('issue-code', '--clinic', clinicB, '--force', '--expires-hours', '1').stdout;
    // Age it the way an hour would, through the same lock and atomic write the admin command uses.
    const store = await openRegistryStore(hub.dataDir);
    const digest = codeDigest(await enrollmentProof(code));
    await store.update((registry) => {
      registry.enrollmentCodes[digest]!.expiresAt = new Date(Date.now() - 1000).toISOString();
    });
    const response = await enrollWithCode(hub.url, code);
    expect((await expectRefusal(response, 410)).reason).toContain('expired');
  });

  it('refuses a wrong code with no hint, and a malformed request as such', async () => {
    const first = await expectRefusal(await enrollWithCode(hub.url, unissuedCode()), 403);
    const second = await expectRefusal(await enrollWithCode(hub.url, unissuedCode()), 403);
    expect(first).toEqual(second);
    expect(first.reason).not.toMatch(/expired|used|clinic-/);
    const malformed = await call('_clinic/enroll', { method: 'POST', headers: json, body: JSON.stringify({ code: 'AAAAA-BBBBB', workstationName: 'x' }) });
    await expectRefusal(malformed, 400);
    // A proof of the first format (one string) is not a proof any more.
    const oldFormat = await call('_clinic/enroll', { method: 'POST', headers: json, body: JSON.stringify({ codeProof: 'A'.repeat(43), workstationName: 'x' }) });
    await expectRefusal(oldFormat, 400);
  });

  it('keeps the admin command from issuing a keyless code once the clinic has a key holder', () => {
    const result = hub.admin('issue-code', '--clinic', clinicA);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('admin session');
    expect(result.stdout).toBe('');
  });
});

describe('revocation', () => {
  it('refuses a revoked workstation at its next request, while its clinic’s others go on', async () => {
    const { code } = await depositCode(hub.url, as(a1).Authorization!);
    const lost = await enrolled(hub.url, code!, 'A laptop (stolen)');
    expect((await call(lost.databases.records, { headers: as(lost) })).status).toBe(200);

    const revoke = hub.admin('revoke', '--workstation', lost.workstationId);
    expect(revoke.status).toBe(0);
    const { result, log } = await logged(() => call(lost.databases.records, { headers: as(lost) }));
    expect((await expectRefusal(result, 403)).error).toBe('revoked');
    expect(log.engine).toBe(false);
    // Only the right secret learns "revoked"; a guess gets the plain 401.
    await expectRefusal(await call(lost.databases.records, { headers: { Authorization: basic(lost.workstationId, 'B'.repeat(43)) } }), 401);

    const listing = hub.admin('list', '--clinic', clinicA).stdout;
    expect(listing).toContain(`${lost.workstationId}  revoked`);
    expect(listing).toContain(`${a1.workstationId}  active`);
    await expectStillServing();
  });

  it('revokes the codes a revoked workstation left unused, and lists the workstations enrolled with its codes for review', async () => {
    const rogue = await enrolled(hub.url, (await depositCode(hub.url, as(a1).Authorization!)).code!, 'A spare laptop');
    // Before it is revoked, it enrolls a shadow workstation, which enrolls another, and it keeps a code for later.
    const shadow = await enrolled(hub.url, (await depositCode(hub.url, as(rogue).Authorization!)).code!, 'Shadow');
    const shadowsShadow = await enrolled(hub.url, (await depositCode(hub.url, as(shadow).Authorization!)).code!, 'Shadow of shadow');
    const kept = await depositCode(hub.url, as(rogue).Authorization!, undefined, 168);
    expect(kept.response.status).toBe(201);

    const revoke = hub.admin('revoke', '--workstation', rogue.workstationId);
    expect(revoke.status).toBe(0);
    expect(revoke.stdout).toContain(`Workstation ${rogue.workstationId} of clinic ${clinicA} is revoked`);
    expect(revoke.stdout).toContain('Its 1 unused enrollment code(s) are revoked too.');
    expect(revoke.stdout).toMatch(new RegExp(`  ${shadow.workstationId}  active   Shadow  \\(enrolled [^)]* with a code from ${rogue.workstationId}\\)`));
    expect(revoke.stdout).toContain(`  ${shadowsShadow.workstationId}  active   Shadow of shadow`);
    expect(revoke.stdout).toContain(`[through ${shadow.workstationId}]`);

    // The kept code is withdrawn, and says so; the revoked workstation can issue no other.
    const late = await expectRefusal(await enrollWithCode(hub.url, kept.code!), 410);
    expect(late.reason).toContain('withdrawn');
    expect((await expectRefusal((await depositCode(hub.url, as(rogue).Authorization!)).response, 403)).error).toBe('revoked');

    // The registry says who issued each code and who used it.
    const listing = hub.admin('list', '--clinic', clinicA).stdout;
    expect(listing).toContain(`issued by ${rogue.workstationId}`);
    expect(listing).toMatch(new RegExp(`used +issued by ${rogue.workstationId} \\S+, used by ${shadow.workstationId}`));
    expect(listing).toMatch(new RegExp(`revoked +issued by ${rogue.workstationId} \\S+, revoked `));
    await expectStillServing();
  });
});

describe('failed sign-ins', () => {
  it('makes an address that keeps failing wait (429), without locking out other addresses', async () => {
    const from = '127.0.0.2';
    // Its own workstation, so no other test's failures count against the id.
    const w = await enrolled(hub.url, hub.admin('issue-code', '--clinic', clinicA, '--force').stdout, 'A failing desk');
    const own = `${hub.url}${w.databases.records}`;
    for (let i = 0; i < 10; i++) {
      expect((await rawRequest(own, { headers: { Authorization: basic(w.workstationId, `${'C'.repeat(42)}${i % 10}`) }, localAddress: from })).status).toBe(401);
    }
    const blocked = await rawRequest(own, { headers: as(w), localAddress: from });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(blocked.body)).toEqual({ error: 'too_many_requests', reason: expect.any(String) as unknown });
    await expectStillServing();
  });
});

describe('the change feed’s selector', () => {
  it('refuses a selector other than the sync client’s clock-node filter with 400, before the engine, however slow its regular expression would be', async () => {
    const evil = { selector: { $nor: [{ hlc: { $regex: '^(a+)+$' } }] } };
    const { result, log } = await logged(() => call(`${a1.databases.records}/_changes?filter=_selector`, { method: 'POST', headers: { ...as(a1), ...json }, body: JSON.stringify(evil) }));
    await expectRefusal(result, 400);
    expect(log.engine).toBe(false);
    const allowed = { selector: { $nor: [{ hlc: { $regex: `^\\d{15}-\\d{5}-${a1.workstationId}$` } }] } };
    expect((await call(`${a1.databases.records}/_changes?filter=_selector`, { method: 'POST', headers: { ...as(a1), ...json }, body: JSON.stringify(allowed) })).status).toBe(200);
  });
});

describe('revision generations', () => {
  const own = () => a1.databases.records;
  const post = (path: string, body: unknown) => call(`${own()}/${path}`, { method: 'POST', headers: { ...as(a1), ...json }, body: JSON.stringify(body) });

  it('refuses a generation past the bound on every path that takes one, so no document can be wedged', async () => {
    const huge = Number.MAX_SAFE_INTEGER;
    const pushed = await post('_bulk_docs', { new_edits: false, docs: [{ _id: 'wedge', _rev: `${huge}-abc`, _revisions: { start: huge, ids: ['abc'] }, n: 1 }] });
    await expectRefusal(pushed, 400);
    await expectRefusal(await post('_revs_diff', { wedge: [`${huge}-abc`] }), 400);
    await expectRefusal(await post('_bulk_get', { docs: [{ id: 'wedge', rev: '12345678901-abc' }] }), 400);
    await expectRefusal(await call(`${own()}/wedge?rev=${huge}-abc`, { method: 'DELETE', headers: as(a1) }), 400);
    await expectRefusal(await call(`${own()}/wedge?rev=1-a&rev=2-b`, { method: 'GET', headers: as(a1) }), 400);
  });

  it('keeps a document replicated in at the highest generation a workstation may introduce editable and deletable', async () => {
    const start = maxIntroducedGeneration;
    const pushed = await post('_bulk_docs', { new_edits: false, docs: [sealedShape(a1.clinicId, { _id: 'old-edits', _rev: `${start}-abc`, _revisions: { start, ids: ['abc'] } })] });
    expect(pushed.status).toBe(201);
    expect(await pushed.json()).toEqual([]);
    const edited = await call(`${own()}/old-edits`, { method: 'PUT', headers: { ...as(a1), ...json }, body: JSON.stringify(sealedShape(a1.clinicId, { _id: 'old-edits', _rev: `${start}-abc`, updatedAt: 2 })) });
    expect(edited.status).toBe(201);
    const { rev } = (await edited.json()) as { rev: string };
    expect(rev.startsWith(`${start + 1}-`)).toBe(true);
    expect((await post('_revs_diff', { 'old-edits': [rev, `${start + 5}-zzz`] })).status).toBe(200);
    const deleted = await call(`${own()}/old-edits`, { method: 'PUT', headers: { ...as(a1), ...json }, body: JSON.stringify(sealedShape(a1.clinicId, { _id: 'old-edits', _rev: rev, _deleted: true, deleted: true })) });
    expect(deleted.status).toBe(201);
  });
});

describe('guessing spread over many addresses', () => {
  it('slows guesses at one workstation id from any address, yet never refuses that workstation’s right secret, and treats unknown ids alike', async () => {
    const target = await enrolled(hub.url, hub.admin('issue-code', '--clinic', clinicA, '--force').stdout, 'A guessed-at desk');
    const ghost = `ws-${'e'.repeat(32)}`;
    for (const id of [target.workstationId, ghost]) {
      const statuses: number[] = [];
      // Twelve addresses, one guess each: no address reaches its own limit.
      for (let i = 0; i < 12; i++) {
        const from = `127.0.3.${i + 1}`;
        statuses.push((await rawRequest(`${hub.url}${target.databases.records}`, { headers: { Authorization: basic(id, `${'G'.repeat(42)}${i % 10}`) }, localAddress: from })).status);
      }
      expect(statuses.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => 401));
      expect(statuses.slice(10)).toEqual([429, 429]);
    }
    // The workstation itself goes on syncing: its right secret is checked before any per-id count.
    const own = await rawRequest(`${hub.url}${target.databases.records}`, { headers: as(target), localAddress: '127.0.3.20' });
    expect(own.status).toBe(200);
  });
});

describe('after all of that', () => {
  it('is still running and serving authorized clients, and logged no engine errors', async () => {
    await expectStillServing();
    const write = await call(`${a1.databases.records}/_bulk_docs`, { method: 'POST', headers: { ...as(a1), ...json }, body: '{"docs":[{"_id":"after","n":1}]}' });
    expect(write.status).toBe(201);
    expect(hub.logs.filter((line) => line.level === 'error')).toEqual([]);
    // Logs carry kinds, statuses and opaque ids: never a document id, a body or a secret.
    const logText = JSON.stringify(hub.logs);
    for (const secretThing of [a1.secret, b1.secret, 'doc-1', 'planted', 'A front desk']) expect(logText).not.toContain(secretThing);
  });
});
