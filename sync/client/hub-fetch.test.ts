import { describe, expect, it } from 'vitest';
import { decodeHlc, encodeHlc } from '../../app/records/hlc';
import { createHubFetch, hubBaseUrl, liveTimeoutMs, maxPushBodyChars, notWrittenBy, type EmptyStretch, type HubRequest, type LinkObservation } from './hub-fetch';

const db = 'clinic-00000000000000000000000000000000-records';

function recorder(answer: (request: HubRequest) => { status: number; body: string }, ownClockNode?: string) {
  const requests: HubRequest[] = [];
  const observations: LinkObservation[] = [];
  const fetch = createHubFetch(
    (request) => {
      requests.push(request);
      return Promise.resolve(answer(request));
    },
    { observe: (observation) => observations.push(observation), ...(ownClockNode !== undefined ? { ownClockNode } : {}) },
  );
  return { fetch, requests, observations };
}

describe('the replication fetch', () => {
  it('sends a push too large for one request in parts under the limit, in order, and answers as one', async () => {
    const { fetch, requests } = recorder((request) => {
      const docs = (JSON.parse(request.body!) as { docs: { _id: string }[] }).docs;
      return { status: 201, body: JSON.stringify(docs.map((doc) => ({ ok: true, id: doc._id, rev: '1-a' }))) };
    });
    const docs = Array.from({ length: 40 }, (_, i) => ({ _id: `obs-${i}`, sealed: 'x'.repeat(100_000) }));
    const response = await fetch(`${hubBaseUrl}${db}/_bulk_docs`, { method: 'POST', body: JSON.stringify({ docs }) });
    expect(requests.length).toBeGreaterThan(1);
    for (const request of requests) expect(request.body!.length).toBeLessThanOrEqual(maxPushBodyChars + 1000);
    expect(((await response.json()) as { id: string }[]).map((row) => row.id)).toEqual(docs.map((doc) => doc._id));
  });

  it('turns a refusal into a failed request (RxDB retries those), after saying what it was', async () => {
    const { fetch, observations } = recorder(() => ({ status: 403, body: '{"error":"revoked","reason":"…"}' }));
    await expect(fetch(`${hubBaseUrl}${db}/_changes?feed=normal`)).rejects.toThrow(/403/);
    expect(observations).toEqual([{ kind: 'answered', status: 403 }]);
  });

  it('asks the hub to end a live pull after a while instead of holding it open with a heartbeat', async () => {
    const { fetch, requests } = recorder(() => ({ status: 200, body: '{"results":[],"last_seq":"5"}' }));
    await fetch(`${hubBaseUrl}${db}/_changes?feed=longpoll&heartbeat=60000&since=now`);
    expect(requests[0]!.path).toBe(`/${db}/_changes?feed=longpoll&since=now&timeout=${liveTimeoutMs}`);
  });

  it('asks for every pull, catch-up and live, without the versions this workstation wrote', async () => {
    const own = 'ws-0123456789abcdef0123456789abcdef';
    const { fetch, requests } = recorder(() => ({ status: 200, body: '{"results":[],"last_seq":7}' }), own);
    await fetch(`${hubBaseUrl}${db}/_changes?style=all_docs&feed=normal&since=0&limit=1000`);
    await fetch(`${hubBaseUrl}${db}/_changes?feed=longpoll&heartbeat=60000&since=7`);
    for (const request of requests) {
      expect(request.method).toBe('POST');
      expect(new URL(request.path, hubBaseUrl).searchParams.get('filter')).toBe('_selector');
      expect(JSON.parse(request.body!)).toEqual({ selector: notWrittenBy(own) });
    }
    expect(requests[1]!.path).toContain(`timeout=${liveTimeoutMs}`);
  });

  it('asks from the end of a stretch of the feed known to hold nothing for it, and extends the stretch as pulls come back empty', async () => {
    const own = 'ws-0123456789abcdef0123456789abcdef';
    const saved = new Map<string, EmptyStretch>();
    const stretches = { get: (database: string) => saved.get(database), set: (database: string, stretch: EmptyStretch) => void saved.set(database, stretch) };
    const answers = ['{"results":[],"last_seq":9}', '{"results":[],"last_seq":12}', '{"results":[{"id":"x","seq":14}],"last_seq":14}', '{"results":[],"last_seq":20}'];
    const requests: HubRequest[] = [];
    const fetch = createHubFetch(
      (request) => {
        requests.push(request);
        return Promise.resolve({ status: 200, body: answers.shift()! });
      },
      { ownClockNode: own, emptyStretches: stretches },
    );
    const since = (request: HubRequest) => new URL(request.path, hubBaseUrl).searchParams.get('since');
    await fetch(`${hubBaseUrl}${db}/_changes?feed=longpoll&since=5`);
    await fetch(`${hubBaseUrl}${db}/_changes?feed=longpoll&since=9`);
    expect(saved.get(db)).toEqual({ from: '5', to: '12' });
    // A catch-up from where RxDB last stored its checkpoint asks from the end of the stretch instead.
    await fetch(`${hubBaseUrl}${db}/_changes?feed=normal&since=5&limit=1000`);
    expect(since(requests[2]!)).toBe('12');
    // Documents for it end the stretch's growth; a pull from elsewhere is left alone.
    expect(saved.get(db)).toEqual({ from: '5', to: '12' });
    await fetch(`${hubBaseUrl}${db}/_changes?feed=normal&since=14&limit=1000`);
    expect(since(requests[3]!)).toBe('14');
    expect(saved.get(db)).toEqual({ from: '14', to: '20' });
  });

  it('leaves out by the selector exactly the clock values of this workstation', () => {
    const own = 'ws-0123456789abcdef0123456789abcdef';
    const selector = notWrittenBy(own) as { $nor: [{ hlc: { $regex: string } }] };
    const pattern = new RegExp(selector.$nor[0].hlc.$regex);
    const mine = encodeHlc({ wallMs: 1_700_000_000_000, counter: 3, node: own });
    expect(decodeHlc(mine).node).toBe(own);
    expect(pattern.test(mine)).toBe(true);
    for (const node of ['ws-1123456789abcdef0123456789abcdef', `x${own}`, 'setup']) {
      expect(pattern.test(encodeHlc({ wallMs: 1_700_000_000_000, counter: 3, node })), node).toBe(false);
    }
  });

  it('refuses an address outside the hub, and says the link is down when the main process cannot reach it', async () => {
    const failing = createHubFetch(() => Promise.reject(new Error('The hub at http://hub/ cannot be reached.')));
    await expect(failing(`${hubBaseUrl}${db}/_changes`)).rejects.toThrow(/cannot be reached/);
    await expect(failing('https://elsewhere.example/x')).rejects.toThrow(/outside the hub/);
  });
});
