import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { maxSealedChars } from '../../app/records/sealed-record';
import { maxDocs } from '../protocol/requests';
import { basic, enrolled, rawRequest, startHubProcess, type Credentials } from './test-support';

/**
 * `npm run bench -- --only hub-stall` (scripts/bench.mjs bundles this file).
 * How long one request, the largest of its kind the hub allows, keeps every
 * other client waiting: the hub is one Node process, so work a request does
 * without yielding delays everyone's answers.
 *
 * A probe client asks the hub's cheapest question (`GET /`) one after the
 * other, over its own connection, all through; a heavy request is then sent
 * on another connection. The stall of that request is the longest any probe
 * answer took while it ran, against the probes' own times with the hub idle
 * (the comparison, measured in the same run). Heavy requests: every allowed
 * shape at its bound, over a database already holding `preload` documents,
 * and the shapes the hub used to take and now refuses (their cost is now the
 * refusal's).
 */

export interface StallCase {
  name: string;
  status: number;
  /** How long the heavy request itself took. */
  requestMs: number;
  /** The longest probe answer while it ran (worst of `repeat` runs). */
  stallMs: number;
}

export interface StallResult {
  preload: number;
  idle: { p50Ms: number; maxMs: number; probes: number };
  cases: StallCase[];
  versions: { node: string };
}

interface Heavy {
  name: string;
  method: string;
  path: string;
  body?: () => string;
}

const probeAgent = new Agent({ keepAlive: true, maxSockets: 1 });
const heavyAgent = new Agent({ keepAlive: true, maxSockets: 1 });

function send(url: string, options: { method: string; headers?: Record<string, string>; body?: string; agent: Agent }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method, headers: options.headers, agent: options.agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (text: string) => (body += text));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const sealedText = (bytes: number) => `v1.${randomBytes(12).toString('base64')}.${randomBytes(bytes).toString('base64')}`;

function sealedDoc(clinicId: string, id: string, node: string, i: number, sealedBytes = 1_100): Record<string, unknown> {
  const at = 1_700_000_000_000 + i;
  return { _id: id, type: 'observation', clinicId, subject: `patient-${i % 500}`, updatedAt: at, hlc: `${String(at).padStart(15, '0')}-00000-${node}`, deleted: false, sealed: sealedText(sealedBytes) };
}

/** Probes until `stop` resolves; the answer times in ms. */
async function probe(url: string, stop: Promise<void>): Promise<number[]> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  const times: number[] = [];
  while (!stopped) {
    const started = performance.now();
    await send(url, { method: 'GET', agent: probeAgent });
    times.push(performance.now() - started);
  }
  return times;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runRequestStallBench(options: { preload: number; repeat: number; progress: (line: string) => void }): Promise<StallResult> {
  const hub = await startHubProcess();
  try {
    const clinicId = hub.admin('create-clinic', '--name', 'Stall clinic').stdout;
    const ws: Credentials = await enrolled(hub.url, hub.admin('issue-code', '--clinic', clinicId).stdout);
    const headers = { Authorization: basic(ws.workstationId, ws.secret), 'Content-Type': 'application/json' };
    const db = `${hub.url}${ws.databases.records}`;
    const node = ws.workstationId;

    options.progress(`hub-stall: storing ${options.preload} records`);
    for (let from = 0; from < options.preload; from += maxDocs) {
      const docs = Array.from({ length: Math.min(maxDocs, options.preload - from) }, (_, i) => sealedDoc(clinicId, `pre-${from + i}`, node, from + i));
      const stored = await send(`${db}/_bulk_docs`, { method: 'POST', headers, body: JSON.stringify({ docs }), agent: heavyAgent });
      if (stored.status !== 201) throw new Error(`preload failed: ${stored.status}`);
    }

    options.progress('hub-stall: the probe alone');
    const idleStop = sleep(2_000);
    const idleTimes = (await probe(hub.url, idleStop)).sort((a, b) => a - b);

    let batch = 0;
    /** Each run a batch of new ids, so every run writes as much as the first. */
    const freshBatch = (size: number, sealedBytes?: number) => () => {
      const run = batch++;
      return JSON.stringify({ docs: Array.from({ length: size }, (_, i) => sealedDoc(clinicId, `new-${run}-${i}`, node, i, sealedBytes)) });
    };
    const ids = Array.from({ length: maxDocs }, (_, i) => `pre-${i}`);
    const history = Array.from({ length: 1_000 }, () => randomBytes(16).toString('hex'));
    const heavies: Heavy[] = [
      { name: `_bulk_docs: ${maxDocs} new records of 1.5 kB (a full batch at the body limit)`, method: 'POST', path: '/_bulk_docs', body: freshBatch(maxDocs, 1_100) },
      { name: '_bulk_docs: 400 new records of 4 kB (at the body limit)', method: 'POST', path: '/_bulk_docs', body: freshBatch(400, 3_000) },
      { name: '_bulk_docs: 7 records at the size bound (256 KiB sealed)', method: 'POST', path: '/_bulk_docs', body: freshBatch(7, (maxSealedChars * 3) / 4 - 64) },
      {
        name: '_bulk_docs new_edits:false: 10 records with 1,000-revision histories (the history bound)',
        method: 'POST',
        path: '/_bulk_docs',
        body: () => {
          const run = batch++;
          return JSON.stringify({ new_edits: false, docs: Array.from({ length: 10 }, (_, i) => ({ ...sealedDoc(clinicId, `hist-${run}-${i}`, node, i), _rev: `1000-${history[0]}`, _revisions: { start: 1000, ids: history } })) });
        },
      },
      { name: `_changes: since 0, include_docs, limit ${maxDocs}`, method: 'GET', path: `/_changes?since=0&include_docs=true&limit=${maxDocs}` },
      { name: `_changes: no limit asked (capped at ${maxDocs})`, method: 'GET', path: '/_changes?since=0&include_docs=true' },
      {
        name: `_changes with the clock-node selector leaving out all ${options.preload} stored (examines ${maxDocs}, answers where it stopped)`,
        method: 'POST',
        path: '/_changes?filter=_selector&since=0&include_docs=true',
        body: () => JSON.stringify({ selector: { $nor: [{ hlc: { $regex: `^\\d{15}-\\d{5}-${node}$` } }] } }),
      },
      { name: `_all_docs: ${maxDocs} keys with their documents`, method: 'POST', path: '/_all_docs', body: () => JSON.stringify({ keys: ids, include_docs: true }) },
      { name: `_bulk_get: ${maxDocs} documents`, method: 'POST', path: '/_bulk_get?revs=true', body: () => JSON.stringify({ docs: ids.map((id) => ({ id })) }) },
      { name: `_revs_diff: ${maxDocs} documents × 10 revisions`, method: 'POST', path: '/_revs_diff', body: () => JSON.stringify(Object.fromEntries(ids.map((id) => [id, Array.from({ length: 10 }, (_, r) => `${r + 1}-${history[r]}`)]))) },
      // Shapes the hub took before its bounds (issue 12 measured 4.0 s and 2.2 s of stall); refused now, at what cost.
      // The widest document a body under the limit can hold (a larger body is answered 413 from its length).
      { name: 'refused: one document of 170,000 keys (2 MiB)', method: 'POST', path: '/_bulk_docs', body: () => JSON.stringify({ docs: [{ _id: 'wide', ...Object.fromEntries(Array.from({ length: 170_000 }, (_, i) => [`k${i}`, 1])) }] }) },
      { name: 'refused: a batch of 10,000 records', method: 'POST', path: '/_bulk_docs', body: freshBatch(10_000, 300) },
    ];

    const cases: StallCase[] = [];
    for (const heavy of heavies) {
      let worst: StallCase | undefined;
      for (let run = 0; run < options.repeat; run++) {
        const body = heavy.body?.();
        let finish!: () => void;
        const done = new Promise<void>((resolve) => (finish = resolve));
        const probing = probe(hub.url, done);
        await sleep(50);
        const started = performance.now();
        // rawRequest: a body the hub refuses unread ends in a reset while it is still being sent, after the answer.
        const answer = await rawRequest(`${db}${heavy.path}`, { method: heavy.method, headers, ...(body !== undefined ? { body } : {}) });
        const requestMs = performance.now() - started;
        await sleep(50);
        finish();
        const times = await probing;
        const result = { name: heavy.name, status: answer.status, requestMs, stallMs: Math.max(...times) };
        if (!worst || result.stallMs > worst.stallMs) worst = result;
      }
      cases.push(worst!);
      options.progress(`hub-stall: ${heavy.name}: ${worst!.status}, stall ${worst!.stallMs.toFixed(1)} ms`);
    }
    return {
      preload: options.preload,
      idle: { p50Ms: idleTimes[Math.floor(idleTimes.length / 2)]!, maxMs: idleTimes.at(-1)!, probes: idleTimes.length },
      cases,
      versions: { node: process.version },
    };
  } finally {
    probeAgent.destroy();
    heavyAgent.destroy();
    await hub.stop();
  }
}
