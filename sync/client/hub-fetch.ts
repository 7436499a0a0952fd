import type { ParamsOf } from '../../app/contract/api';
import { maxDocs } from '../protocol/requests';
import { createPullReadAhead, type HubAnswer } from './pull-read-ahead';

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

export type HubCaller = (request: HubRequest) => Promise<HubAnswer>;

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
  const to = stretches ? movedOnEmpty(body, since) : undefined;
  if (!stretches || since === null || to === undefined) return;
  const database = databaseOf(url);
  const current = stretches.get(database);
  stretches.set(database, current && current.to === since ? { from: current.from, to } : { from: since, to });
}

const databaseOf = (url: URL): string => url.pathname.split('/')[1] ?? '';

/** The `last_seq` of an answer that brought nothing but moved on from `since`, else undefined. */
function movedOnEmpty(body: string, since: string | null): string | undefined {
  if (since === null || since === 'now' || !emptyAnswer.test(body)) return undefined;
  const { last_seq: lastSeq } = JSON.parse(body) as { last_seq?: unknown };
  if (typeof lastSeq !== 'number' && typeof lastSeq !== 'string') return undefined;
  return String(lastSeq) === since ? undefined : String(lastSeq);
}

/**
 * A pull leaving out this workstation's own versions. The hub examines at
 * most 1,000 changes a request (sync/hub/changes-feed.ts), so over a stretch
 * of this workstation's own versions longer than that, a catch-up answer is
 * empty with `last_seq` further on. RxDB takes an empty catch-up answer for
 * "nothing more" and then listens from "now" (its long-poll starts there),
 * which would skip whatever lies past the stretch; so an empty answer that
 * moved on is asked on from where it stopped, request by request, until one
 * brings something or the feed's end is reached. A long-poll's empty answer
 * goes to RxDB as it is: RxDB polls on from its `last_seq` itself.
 */
async function pullLeavingOut(url: URL, clockNode: string, call: HubCaller, stretches: EmptyStretches | undefined): Promise<HubAnswer> {
  const live = url.searchParams.get('feed') === 'longpoll';
  for (;;) {
    skipEmpty(url, stretches);
    const answer = await call(leavingOut(url, clockNode));
    if (answer.status !== 200) return answer;
    noteEmpty(url, answer.body, stretches);
    const next = live ? undefined : movedOnEmpty(answer.body, url.searchParams.get('since'));
    if (next === undefined) return answer;
    url.searchParams.set('since', next);
  }
}

/**
 * A push body above this is sent as several `_bulk_docs` requests: the API
 * takes at most 4 MiB a request (app/contract/envelope.ts), and a batch of
 * readings carrying large raw device frames could exceed it; a batch that
 * could never be sent would stop sync for good.
 */
export const maxPushBodyChars = 1_500_000;

/** `_bulk_docs` split into bodies under the limit, greedily in order; the answers are concatenated as one. */
async function pushInParts(path: string, body: string, send: (part: HubRequest) => Promise<HubAnswer>): Promise<HubAnswer> {
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

/**
 * The rows of a `_bulk_docs` answer without the documents the hub refused
 * (`forbidden`: not in the sealed form it stores, sync/hub/document-rules.ts),
 * and their ids. RxDB's push fails the whole batch on any row that is neither
 * written nor a conflict, and would retry it for ever: one document the hub
 * will never take would stop every later change from reaching it. Left out,
 * the push goes on; the refused document stays on this workstation, and the
 * sync status says so (clinic-sync.ts).
 */
export function withoutRefused(body: string): { body: string; refused: string[] } {
  let rows: unknown;
  try {
    rows = JSON.parse(body);
  } catch {
    return { body, refused: [] };
  }
  if (!Array.isArray(rows)) return { body, refused: [] };
  const isRefused = (row: unknown): row is { id: string } => typeof row === 'object' && row !== null && (row as { error?: unknown }).error === 'forbidden';
  const refused = rows.filter(isRefused).map((row) => String(row.id));
  return refused.length === 0 ? { body, refused } : { body: JSON.stringify(rows.filter((row) => !isRefused(row))), refused };
}

/**
 * A `_changes` answer without the rows whose document is not one this
 * workstation can store (`acceptable` says which), and how many there were.
 * RxDB's pull checks each document as it stores it (clinic-sync.ts), and a
 * check that fails there stops the pull for good without a word: every later
 * change from the hub would never arrive. Left out here, the pull goes on
 * past them (`last_seq` is kept), and the sync status counts them.
 */
export function withoutUnacceptable(body: string, acceptable: (doc: unknown) => boolean): { body: string; left: number } {
  let answer: { results?: unknown; [field: string]: unknown };
  try {
    answer = JSON.parse(body) as typeof answer;
  } catch {
    return { body, left: 0 };
  }
  if (!Array.isArray(answer.results)) return { body, left: 0 };
  // A row without its document (include_docs off) is not RxDB's to store.
  const kept = answer.results.filter((row: unknown) => {
    const doc = typeof row === 'object' && row !== null ? (row as { doc?: unknown }).doc : undefined;
    return doc === undefined || acceptable(doc);
  });
  const left = answer.results.length - kept.length;
  return left === 0 ? { body, left } : { body: JSON.stringify({ ...answer, results: kept }), left };
}

export interface HubFetchOptions {
  observe?: (observation: LinkObservation) => void;
  /** This workstation's clock node: pulls leave out the versions it wrote (see `notWrittenBy`). */
  ownClockNode?: string;
  /** Where the empty stretches of the feeds are kept (across restarts), when pulls leave out this workstation's versions. */
  emptyStretches?: EmptyStretches;
  /** Documents of a push the hub refused (see `withoutRefused`), by id. */
  onRefused?: (ids: readonly string[]) => void;
  /** Whether a pulled document is one this workstation can store, by database; those that are not are left out (see `withoutUnacceptable`). */
  acceptsPulled?: (database: string, doc: unknown) => boolean;
  /** How many pulled documents were left out. */
  onUnacceptable?: (count: number) => void;
  /** Whether someone is using the screens now (see `idlePullFactor`); taken as yes when not said. */
  screensInUse?: () => boolean;
}

/**
 * While nobody is using the screens, a pull hands RxDB twice the batch it
 * asked for (collection-replication.ts keeps the batch small so a search
 * waits little behind its IndexedDB writes): each batch costs a fixed wait
 * for its IndexedDB transactions, so a pull nobody is watching goes faster
 * in larger ones (100,000 records: 66.7 s in batches of 100 against 89.4 s
 * in batches of 50, BENCHMARKS.md).
 */
const idlePullFactor = 2;

export function createHubFetch(
  call: HubCaller,
  { observe = () => {}, ownClockNode, emptyStretches, onRefused = () => {}, acceptsPulled, onUnacceptable = () => {}, screensInUse = () => true }: HubFetchOptions = {},
): typeof fetch {
  const readAhead = createPullReadAhead(maxDocs);
  const give = (asked: number) => (screensInUse() ? asked : asked * idlePullFactor);
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== new URL(hubBaseUrl).origin) throw new TypeError('The replication asked for an address outside the hub.');
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST' && method !== 'PUT') throw new TypeError(`The replication asked for ${method}, which the hub link does not carry.`);
    const body = typeof init?.body === 'string' ? init.body : undefined;
    let answer: HubAnswer;
    try {
      if (method === 'GET' && url.pathname.endsWith('/_changes'))
        answer = await readAhead.pull(databaseOf(url), url, (page) => (ownClockNode !== undefined ? pullLeavingOut(page, ownClockNode, call, emptyStretches) : call({ method, path: toPath(page) })), give);
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
    if (acceptsPulled && url.pathname.endsWith('/_changes') && answer.status === 200) {
      const database = databaseOf(url);
      const { body: kept, left } = withoutUnacceptable(answer.body, (doc) => acceptsPulled(database, doc));
      if (left > 0) {
        onUnacceptable(left);
        answer = { ...answer, body: kept };
      }
    }
    if (method === 'POST' && url.pathname.endsWith('/_bulk_docs')) {
      const { body: kept, refused } = withoutRefused(answer.body);
      if (refused.length > 0) {
        onRefused(refused);
        answer = { ...answer, body: kept };
      }
    }
    const nullBody = answer.status === 204 || answer.status === 304;
    return new Response(nullBody ? null : answer.body, { status: answer.status, headers: { 'Content-Type': 'application/json' } });
  };
}
