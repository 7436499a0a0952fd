import type { ParamsOf } from '../../app/contract/api';

/**
 * The `fetch` RxDB's CouchDB replication is given. It never touches the
 * network itself: each request becomes one `hub.request` to the main process,
 * which owns the hub credentials and lets only this clinic's databases
 * through (main/hub/hub-link.ts). RxDB builds URLs under `hubBaseUrl`, a
 * placeholder origin that only names the database.
 */

export const hubBaseUrl = 'http://hub.invalid/';

/** One CouchDB request as the contract carries it to the main process. */
export type HubRequest = ParamsOf<'hub.request'>;

export type HubCaller = (request: HubRequest) => Promise<{ status: number; body: string }>;

/** What the fetch saw last, for the sync status: the link is up or down, or the hub refuses this workstation. */
export type LinkObservation = { kind: 'answered'; status: number } | { kind: 'unreachable'; message: string };

/**
 * A live pull asks the hub to hold the request with a heartbeat, which keeps
 * it open until a change comes; a bounded `timeout` instead lets the hub
 * answer "nothing new" every 50 s, so a dead link shows as one quickly.
 */
export const liveTimeoutMs = 50_000;

function toPath(url: URL): string {
  if (url.searchParams.get('feed') === 'longpoll') {
    url.searchParams.delete('heartbeat');
    url.searchParams.set('timeout', String(liveTimeoutMs));
  }
  return url.pathname + url.search;
}

/**
 * The selector that leaves out of a pull every version this workstation wrote
 * itself: it holds each of them already (or a later edit of its own), and
 * without it the live pull fetched back everything it pushed (85 MB while
 * pushing 100,000 records in the benchmark), which the hub read and sent and
 * the page parsed, checked and compared for nothing. A version is this
 * workstation's when its clock's node is (app/records/hlc.ts); versions
 * merged here after a conflict carry its node too, and it wrote them.
 * CouchDB's `_selector` filter, so any CouchDB-protocol hub can apply it.
 */
export function notWrittenBy(clockNode: string): Record<string, unknown> {
  const escaped = clockNode.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { $nor: [{ hlc: { $regex: `^\\d{15}-\\d{5}-${escaped}$` } }] };
}

/** A pull (`_changes`, catch-up or live) as a POST carrying that selector. */
function leavingOut(url: URL, clockNode: string): HubRequest {
  url.searchParams.set('filter', '_selector');
  return { method: 'POST', path: toPath(url), body: JSON.stringify({ selector: notWrittenBy(clockNode) }) };
}

/**
 * Stretches of a database's change feed known to hold nothing for this
 * workstation: from one sequence to another, every change in between was its
 * own. RxDB stores its pull checkpoint only when a pull brings documents, so
 * a workstation whose own writes were the last changes would, after each
 * restart, ask again from that older checkpoint and have the hub scan all of
 * them for nothing; a pull from the start of a known empty stretch asks from
 * its end instead. Safe because a feed's past never gains changes: a document
 * changed later appears again further on. Sequences are compared as text
 * only (CouchDB's are opaque).
 */
export interface EmptyStretch {
  from: string;
  to: string;
}
export interface EmptyStretches {
  get(database: string): EmptyStretch | undefined;
  set(database: string, stretch: EmptyStretch): void;
}

const emptyAnswer = /^\s*\{\s*"results"\s*:\s*\[\s*\]/;

/** The `since` to ask from, past a known empty stretch. */
function skipEmpty(url: URL, stretches: EmptyStretches | undefined): void {
  const since = url.searchParams.get('since');
  const stretch = stretches?.get(databaseOf(url));
  if (since !== null && stretch && since === stretch.from) url.searchParams.set('since', stretch.to);
}

/** Extends (or starts) the database's empty stretch when a pull from `since` brought nothing. */
function noteEmpty(url: URL, body: string, stretches: EmptyStretches | undefined): void {
  const since = url.searchParams.get('since');
  if (!stretches || since === null || since === 'now' || !emptyAnswer.test(body)) return;
  const { last_seq: lastSeq } = JSON.parse(body) as { last_seq?: unknown };
  if (typeof lastSeq !== 'number' && typeof lastSeq !== 'string') return;
  const to = String(lastSeq);
  if (to === since) return;
  const database = databaseOf(url);
  const current = stretches.get(database);
  stretches.set(database, current && current.to === since ? { from: current.from, to } : { from: since, to });
}

const databaseOf = (url: URL): string => url.pathname.split('/')[1] ?? '';

/**
 * A push body above this is sent as several `_bulk_docs` requests: the API
 * takes at most 4 MiB a request (app/contract/envelope.ts), and a batch of
 * readings carrying large raw device frames could exceed it; a batch that
 * could never be sent would stop sync for good.
 */
export const maxPushBodyChars = 1_500_000;

/** `_bulk_docs` split into bodies under the limit, greedily in order; the answers are concatenated as one. */
async function pushInParts(path: string, body: string, send: (part: HubRequest) => Promise<{ status: number; body: string }>): Promise<{ status: number; body: string }> {
  const { docs, ...rest } = JSON.parse(body) as { docs: unknown[] };
  const parts: unknown[][] = [[]];
  let size = 0;
  for (const doc of docs) {
    const docSize = JSON.stringify(doc).length;
    if (size + docSize > maxPushBodyChars && parts.at(-1)!.length > 0) {
      parts.push([]);
      size = 0;
    }
    parts.at(-1)!.push(doc);
    size += docSize;
  }
  const results: unknown[] = [];
  let status = 201;
  for (const part of parts) {
    const answer = await send({ method: 'POST', path, body: JSON.stringify({ ...rest, docs: part }) });
    if (answer.status >= 400) return answer;
    status = answer.status;
    results.push(...(JSON.parse(answer.body) as unknown[]));
  }
  return { status, body: JSON.stringify(results) };
}

export interface HubFetchOptions {
  observe?: (observation: LinkObservation) => void;
  /** This workstation's clock node: pulls leave out the versions it wrote (see `notWrittenBy`). */
  ownClockNode?: string;
  /** Where the empty stretches of the feeds are kept (across restarts), when pulls leave out this workstation's versions. */
  emptyStretches?: EmptyStretches;
}

export function createHubFetch(call: HubCaller, { observe = () => {}, ownClockNode, emptyStretches }: HubFetchOptions = {}): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== new URL(hubBaseUrl).origin) throw new TypeError('The replication asked for an address outside the hub.');
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST' && method !== 'PUT') throw new TypeError(`The replication asked for ${method}, which the hub link does not carry.`);
    const body = typeof init?.body === 'string' ? init.body : undefined;
    let answer: { status: number; body: string };
    try {
      if (method === 'GET' && url.pathname.endsWith('/_changes') && ownClockNode !== undefined) {
        skipEmpty(url, emptyStretches);
        answer = await call(leavingOut(url, ownClockNode));
        if (answer.status === 200) noteEmpty(url, answer.body, emptyStretches);
      }
      else if (method === 'POST' && url.pathname.endsWith('/_bulk_docs') && body !== undefined && body.length > maxPushBodyChars) answer = await pushInParts(toPath(url), body, call);
      else answer = await call({ method, path: toPath(url), ...(body !== undefined ? { body } : {}) });
    } catch (error) {
      const message = error instanceof Error ? error.message : 'The hub cannot be reached.';
      observe({ kind: 'unreachable', message });
      // RxDB treats a rejected fetch as a network failure and retries after its retry time.
      throw new TypeError(message);
    }
    observe({ kind: 'answered', status: answer.status });
    // RxDB reads any answer as data (its live pull crashes on an error body): a refusal or a hub failure
    // is a failed request instead, which it retries after its pause; the status above says which it was.
    if (answer.status >= 400) throw new TypeError(`The hub answered HTTP ${answer.status}.`);
    const nullBody = answer.status === 204 || answer.status === 304;
    return new Response(nullBody ? null : answer.body, { status: answer.status, headers: { 'Content-Type': 'application/json' } });
  };
}
