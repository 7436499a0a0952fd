import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { basic, enrolled, rawRequest, sealedShape, startHubProcess, type Credentials, type HubProcess } from './test-support';
import { notWrittenBy } from '../client/hub-fetch';

// The change feed through the real hub process: what a workstation's live
// pull depends on (an answer when a long-poll times out, a selector from the
// POST body, changes batched into one answer).

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

let hub: HubProcess;
let workstation: Credentials;

beforeAll(async () => {
  hub = await startHubProcess();
  const clinicId = hub.admin('create-clinic', '--name', 'Feed clinic').stdout;
  workstation = await enrolled(hub.url, hub.admin('issue-code', '--clinic', clinicId).stdout);
}, 60_000);

afterAll(async () => {
  await hub?.stop();
});

const headers = () => ({ Authorization: basic(workstation.workstationId, workstation.secret), 'Content-Type': 'application/json' });
const db = () => `${hub.url}${workstation.databases.records}`;

interface Feed {
  results: { id: string; seq: number; doc?: { hlc?: string } }[];
  last_seq: number;
}

async function write(docs: { _id: string; hlc: string }[]): Promise<void> {
  const sealed = docs.map((doc) => sealedShape(workstation.clinicId, doc));
  const response = await fetch(`${db()}/_bulk_docs`, { method: 'POST', headers: headers(), body: JSON.stringify({ docs: sealed }) });
  expect(response.status).toBe(201);
}

async function changes(query: string, selector?: Record<string, unknown>): Promise<{ status: number; feed: Feed; ms: number }> {
  const started = Date.now();
  const response = await fetch(`${db()}/_changes?${query}`, selector ? { method: 'POST', headers: headers(), body: JSON.stringify({ selector }) } : { headers: headers() });
  const text = await response.text();
  return { status: response.status, feed: (response.status === 200 ? JSON.parse(text) : { results: [], last_seq: -1 }) as Feed, ms: Date.now() - started };
}

/** What a workstation "ws-A" asks for: every version but its own, as the sync client asks it. */
const notFromA = notWrittenBy('ws-A');
const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the hub’s change feed', () => {
  it('answers a long-poll that saw nothing when its timeout runs out, with where the feed stands', async () => {
    const { feed: now } = await changes('since=now');
    const { status, feed, ms } = await changes(`feed=longpoll&since=${now.last_seq}&timeout=1000`);
    expect(status).toBe(200);
    expect(feed.results).toEqual([]);
    expect(feed.last_seq).toBe(now.last_seq);
    expect(ms).toBeGreaterThanOrEqual(900);
  });

  it('takes a selector from the POST body and leaves out what does not match', async () => {
    await write([
      { _id: 'sel-1', hlc: '000000000000001-00000-ws-A' },
      { _id: 'sel-2', hlc: '000000000000001-00000-ws-B' },
      { _id: 'sel-3', hlc: '000000000000002-00000-ws-A' },
    ]);
    const { status, feed } = await changes('filter=_selector&include_docs=true&since=0', notFromA);
    expect(status).toBe(200);
    expect(feed.results.map((row) => row.id)).toEqual(['sel-2']);
    // The feed has moved past the left-out versions too.
    const { feed: all } = await changes('since=now');
    expect(feed.last_seq).toBe(all.last_seq);
  });

  it('keeps a filtered long-poll waiting through versions it leaves out, moves past them at the timeout, and answers the first one it wants', async () => {
    const { feed: start } = await changes('since=now');
    const waiting = changes(`feed=longpoll&filter=_selector&include_docs=true&since=${start.last_seq}&timeout=1500`, notFromA);
    await after(200);
    await write([{ _id: 'own-1', hlc: '000000000000003-00000-ws-A' }]);
    const timedOut = await waiting;
    expect(timedOut.feed.results).toEqual([]);
    expect(timedOut.feed.last_seq).toBeGreaterThan(start.last_seq);
    expect(timedOut.ms).toBeGreaterThanOrEqual(1400);

    const next = changes(`feed=longpoll&filter=_selector&include_docs=true&since=${timedOut.feed.last_seq}&timeout=20000`, notFromA);
    await after(200);
    await write([{ _id: 'own-2', hlc: '000000000000004-00000-ws-A' }]);
    await after(200);
    await write([
      { _id: 'other-1', hlc: '000000000000005-00000-ws-B' },
      { _id: 'other-2', hlc: '000000000000005-00001-ws-B' },
    ]);
    const answered = await next;
    expect(answered.ms).toBeLessThan(15_000);
    // One write of two documents arrives as one answer, without the left-out one before it.
    expect(answered.feed.results.map((row) => row.id)).toEqual(['other-1', 'other-2']);
  });

  it('sends heartbeats while a long-poll with a heartbeat waits, then the change', async () => {
    const { feed: start } = await changes('since=now');
    const waiting = rawRequest(`${db()}/_changes?feed=longpoll&heartbeat=1000&since=${start.last_seq}`, { headers: headers() });
    await after(2500);
    await write([{ _id: 'beat-1', hlc: '000000000000006-00000-ws-B' }]);
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.body.startsWith('\n\n')).toBe(true);
    expect((JSON.parse(answer.body) as Feed).results.map((row) => row.id)).toEqual(['beat-1']);
  });

  it('refuses a query it cannot read in plain words, and a selector filter without a selector', async () => {
    const badSince = await fetch(`${db()}/_changes?since=yesterday`, { headers: headers() });
    expect(badSince.status).toBe(400);
    expect(((await badSince.json()) as { reason: string }).reason).toMatch(/since must be a whole number/);
    const noSelector = await fetch(`${db()}/_changes?filter=_selector`, { method: 'POST', headers: headers(), body: '{}' });
    expect(noSelector.status).toBe(400);
  });

  it('examines at most a batch of changes a request: past a longer stretch it leaves out, it answers with where it stopped, and the next request goes on from there', async () => {
    const { feed: start } = await changes('since=now');
    const ownStretch = Array.from({ length: 1_500 }, (_, i) => ({ _id: `stretch-${i}`, hlc: `000000000000008-${String(i).padStart(5, '0')}-ws-A` }));
    await write(ownStretch.slice(0, 1_000));
    await write(ownStretch.slice(1_000));
    await write([{ _id: 'past-stretch', hlc: '000000000000009-00000-ws-B' }]);

    const first = await changes(`filter=_selector&include_docs=true&since=${start.last_seq}`, notFromA);
    expect(first.feed.results).toEqual([]);
    expect(first.feed.last_seq).toBe(start.last_seq + 1_000);
    const second = await changes(`filter=_selector&include_docs=true&since=${first.feed.last_seq}`, notFromA);
    expect(second.feed.results.map((row) => row.id)).toEqual(['past-stretch']);

    // A long-poll too answers at once with where it stopped, rather than reading on.
    const live = await changes(`feed=longpoll&filter=_selector&include_docs=true&since=${start.last_seq}&timeout=20000`, notFromA);
    expect(live.ms).toBeLessThan(10_000);
    expect(live.feed).toEqual({ results: [], last_seq: start.last_seq + 1_000 });
  });

  it('stops waiting when the client goes away, and keeps serving', async () => {
    const { feed: start } = await changes('since=now');
    const controller = new AbortController();
    const abandoned = fetch(`${db()}/_changes?feed=longpoll&since=${start.last_seq}&timeout=60000`, { headers: headers(), signal: controller.signal }).catch((error: unknown) => error);
    await after(300);
    controller.abort();
    await abandoned;
    await write([{ _id: 'after-abort', hlc: '000000000000007-00000-ws-B' }]);
    const { feed } = await changes(`since=${start.last_seq}`);
    expect(feed.results.map((row) => row.id)).toEqual(['after-abort']);
    expect(hub.child.exitCode).toBeNull();
  });
});
