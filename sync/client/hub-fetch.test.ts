import { describe, expect, it } from 'vitest';
import { decodeHlc, encodeHlc } from '../../app/records/hlc';
import { createHubFetch, hubBaseUrl, liveTimeoutMs, maxPushBodyChars, notWrittenBy, type EmptyStretch, type HubRequest, type LinkObservation } from './hub-fetch';

const db = 'clinic-00000000000000000000000000000000-records';

function recorder(answer: (request: HubRequest) => { status: number; body: string }, ownClockNode?: string, screensInUse?: () => boolean) {
  const requests: HubRequest[] = [];
  const observations: LinkObservation[] = [];
  const fetch = createHubFetch(
    (request) => {
      requests.push(request);
      return Promise.resolve(answer(request));
    },
    { observe: (observation) => observations.push(observation), ...(ownClockNode !== undefined ? { ownClockNode } : {}), ...(screensInUse ? { screensInUse } : {}) },
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

  it('leaves the documents the hub refused out of a push’s answer, so the push goes on, and says which they were', async () => {
    const refused: string[] = [];
    const fetch = createHubFetch(
      () => Promise.resolve({ status: 201, body: JSON.stringify([{ ok: true, id: 'a', rev: '1-a' }, { id: 'b', error: 'forbidden', reason: 'Refused: …' }, { id: 'c', error: 'conflict', reason: '…' }]) }),
      { onRefused: (ids) => refused.push(...ids) },
    );
    const response = await fetch(`${hubBaseUrl}${db}/_bulk_docs`, { method: 'POST', body: JSON.stringify({ docs: [{ _id: 'a' }, { _id: 'b' }, { _id: 'c' }] }) });
    // RxDB fails a whole batch on a row that is neither written nor a conflict; a conflict it resolves.
    expect(((await response.json()) as { id: string; error?: string }[]).map((row) => [row.id, row.error])).toEqual([['a', undefined], ['c', 'conflict']]);
    expect(refused).toEqual(['b']);
  });

  it('asks on past an empty catch-up answer that moved on (the hub examines a batch a request), until one brings something or the feed ends; a long-poll’s goes to RxDB as it is', async () => {
    // The feed: this workstation's own versions at 1-2,500, another's at 2,501.
    const { fetch, requests } = recorder((request) => {
      const since = Number(new URL(request.path, hubBaseUrl).searchParams.get('since'));
      if (since >= 2_501) return { status: 200, body: `{"results":[],"last_seq":${since}}` };
      if (since + 1_000 < 2_501) return { status: 200, body: `{"results":[],"last_seq":${since + 1_000}}` };
      return { status: 200, body: '{"results":[{"id":"theirs","seq":2501,"changes":[]}],"last_seq":2501}' };
    }, 'ws-own');
    const caughtUp = await fetch(`${hubBaseUrl}${db}/_changes?since=0&limit=1000&include_docs=true`);
    expect(((await caughtUp.json()) as { results: { id: string }[] }).results.map((row) => row.id)).toEqual(['theirs']);
    expect(requests.map((request) => new URL(request.path, hubBaseUrl).searchParams.get('since'))).toEqual(['0', '1000', '2000']);

    requests.length = 0;
    const atEnd = await fetch(`${hubBaseUrl}${db}/_changes?since=2501&limit=1000`);
    expect(await atEnd.json()).toEqual({ results: [], last_seq: 2501 });
    expect(requests).toHaveLength(1);

    requests.length = 0;
    const live = await fetch(`${hubBaseUrl}${db}/_changes?feed=longpoll&since=0&limit=1000`);
    expect(await live.json()).toEqual({ results: [], last_seq: 1000 });
    expect(requests).toHaveLength(1);
  });

  it('leaves out of a pull the documents this workstation cannot store, keeping where the feed stands, and counts them', async () => {
    const answer = { results: [{ id: 'good', seq: 1, doc: { _id: 'good', ok: true } }, { id: 'bad', seq: 2, doc: { _id: 'bad', name: 'Amina' } }, { id: 'gone', seq: 3 }], last_seq: 3 };
    let left = 0;
    const fetch = createHubFetch(() => Promise.resolve({ status: 200, body: JSON.stringify(answer) }), {
      acceptsPulled: (database, doc) => database === db && (doc as { ok?: boolean }).ok === true,
      onUnacceptable: (count) => (left += count),
    });
    const pulled = (await (await fetch(`${hubBaseUrl}${db}/_changes?since=0&include_docs=true`)).json()) as typeof answer;
    expect(pulled.results.map((row) => row.id)).toEqual(['good', 'gone']);
    expect(pulled.last_seq).toBe(3);
    expect(left).toBe(1);
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
    // The catch-up moved on empty (0 to 7), so it asked on from 7, where the feed ended.
    expect(requests).toHaveLength(3);
    expect(requests.at(-1)!.path).toContain(`timeout=${liveTimeoutMs}`);
  });

  it('asks from the end of a stretch of the feed known to hold nothing for it, and extends the stretch as pulls come back empty', async () => {
    const own = 'ws-0123456789abcdef0123456789abcdef';
    const saved = new Map<string, EmptyStretch>();
    const stretches = { get: (database: string) => saved.get(database), set: (database: string, stretch: EmptyStretch) => void saved.set(database, stretch) };
    const answers = ['{"results":[],"last_seq":9}', '{"results":[],"last_seq":12}', '{"results":[{"id":"x","seq":14}],"last_seq":14}', '{"results":[],"last_seq":20}', '{"results":[],"last_seq":20}'];
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

  it('asks the hub for 1,000 changes at a time and hands a smaller pull its batches from them, in order, each ending where the next starts', async () => {
    const feed = Array.from({ length: 1_250 }, (_, i) => ({ id: `pat-${i + 1}`, seq: i + 1, changes: [], doc: { _id: `pat-${i + 1}` } }));
    const { fetch, requests } = recorder((request) => {
      const query = new URL(request.path, hubBaseUrl).searchParams;
      const since = Number(query.get('since'));
      const rows = feed.filter((row) => row.seq > since).slice(0, Number(query.get('limit')));
      return { status: 200, body: JSON.stringify({ results: rows, last_seq: rows.at(-1)?.seq ?? since }) };
    });
    const pulled: string[] = [];
    let since: number | string = 0;
    for (;;) {
      const answer = (await (await fetch(`${hubBaseUrl}${db}/_changes?style=all_docs&feed=normal&include_docs=true&since=${since}&limit=100&seq_interval=100`)).json()) as { results: { id: string }[]; last_seq: number };
      expect(answer.results.length).toBeLessThanOrEqual(100);
      if (answer.results.length === 0) break;
      pulled.push(...answer.results.map((row) => row.id));
      since = answer.last_seq;
    }
    expect(pulled).toEqual(feed.map((row) => row.id));
    // 1-1,000, then 1,001-1,250, then the empty end.
    expect(requests.map((request) => new URL(request.path, hubBaseUrl).searchParams.get('since'))).toEqual(['0', '1000', '1250']);
    expect(requests.map((request) => new URL(request.path, hubBaseUrl).searchParams.get('limit'))).toEqual(['1000', '1000', '1000']);
  });

  it('hands a pull twice its batch while nobody uses the screens, and the batch asked for while someone does', async () => {
    const feed = Array.from({ length: 600 }, (_, i) => ({ id: `pat-${i + 1}`, seq: i + 1, changes: [] }));
    let inUse = true;
    const { fetch } = recorder(
      (request) => {
        const query = new URL(request.path, hubBaseUrl).searchParams;
        const rows = feed.filter((row) => row.seq > Number(query.get('since'))).slice(0, Number(query.get('limit')));
        return { status: 200, body: JSON.stringify({ results: rows, last_seq: rows.at(-1)?.seq ?? Number(query.get('since')) }) };
      },
      undefined,
      () => inUse,
    );
    const pull = async (since: number) => (await (await fetch(`${hubBaseUrl}${db}/_changes?feed=normal&since=${since}&limit=50`)).json()) as { results: { id: string }[]; last_seq: number };
    const first = await pull(0);
    expect([first.results.length, first.last_seq]).toEqual([50, 50]);
    inUse = false;
    const second = await pull(50);
    expect([second.results.length, second.last_seq]).toEqual([100, 150]);
    expect(second.results.map((row) => row.id)).toEqual(feed.slice(50, 150).map((row) => row.id));
  });

  it('reads ahead for a live pull too, so a backlog after time offline comes 1,000 at a time', async () => {
    const feed = Array.from({ length: 300 }, (_, i) => ({ id: `obs-${i + 1}`, seq: i + 1, changes: [] }));
    const { fetch, requests } = recorder((request) => {
      const query = new URL(request.path, hubBaseUrl).searchParams;
      const rows = feed.filter((row) => row.seq > Number(query.get('since'))).slice(0, Number(query.get('limit')));
      return { status: 200, body: JSON.stringify({ results: rows, last_seq: rows.at(-1)?.seq ?? Number(query.get('since')) }) };
    });
    const live = async (since: number) => (await (await fetch(`${hubBaseUrl}${db}/_changes?feed=longpoll&since=${since}&limit=100&heartbeat=60000`)).json()) as { results: unknown[]; last_seq: number };
    expect((await live(0)).last_seq).toBe(100);
    expect((await live(100)).last_seq).toBe(200);
    expect((await live(200)).last_seq).toBe(300);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.path).toContain(`timeout=${liveTimeoutMs}`);
  });

  it('asks the hub again when a pull starts anywhere but where the rows it holds begin, and passes on unsplit a feed whose rows carry no sequence', async () => {
    const rows = (from: number, count: number, withSeq = true) => Array.from({ length: count }, (_, i) => ({ id: `pat-${from + i}`, ...(withSeq ? { seq: from + i } : {}), changes: [] }));
    const answers = [
      { results: rows(1, 300), last_seq: 300 },
      { results: rows(51, 300), last_seq: 350 },
      { results: rows(400, 300, false), last_seq: 699 },
    ];
    const { fetch, requests } = recorder(() => ({ status: 200, body: JSON.stringify(answers.shift()) }));
    const pull = async (since: number) => (await (await fetch(`${hubBaseUrl}${db}/_changes?feed=normal&since=${since}&limit=100`)).json()) as { results: { id: string }[]; last_seq: number };
    expect((await pull(0)).last_seq).toBe(100);
    // RxDB restarted from an older checkpoint: the held rows (101-300) are not where it asks from.
    const restarted = await pull(50);
    expect(restarted.results[0]!.id).toBe('pat-51');
    expect(restarted.last_seq).toBe(150);
    const unsplit = await pull(399);
    expect(unsplit.results).toHaveLength(300);
    expect(unsplit.last_seq).toBe(699);
    expect(requests).toHaveLength(3);
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
