import type { ServerResponse } from 'node:http';
import type { PouchChangesOptions, PouchDatabase } from 'pouchdb-node';
import { maxDocs, type ClockNodeSelector } from '../protocol/requests';

/**
 * `GET|POST /<db>/_changes`, served here over PouchDB rather than by
 * express-pouchdb's route, which lacks two things CouchDB does and clients
 * rely on (both measured against the hub process, sync/hub/changes-feed.test.ts):
 *
 *  - A long-poll that sees no change answers `{"results": [], "last_seq": …}`
 *    when its `timeout` runs out (CouchDB's default: 60 s). express-pouchdb's
 *    holds the request open until a change comes, however long, so on a quiet
 *    clinic a workstation's link timed out and it showed as offline.
 *  - `filter=_selector` takes its selector from the POST body, as CouchDB
 *    does (express-pouchdb reads only `doc_ids` there). A workstation uses it
 *    to leave out the versions it wrote itself (sync/client/hub-fetch.ts).
 *
 * A long-poll first answers at once with what has already changed since
 * `since`; only when that is nothing does it wait, and when a change comes it
 * answers with everything since (up to `limit`), so one `_bulk_docs` from
 * another workstation arrives as one answer, not one document per request.
 */

export interface ChangesQuery {
  feed: 'normal' | 'longpoll';
  since: number | 'now';
  /** At most `maxDocs` (sync/protocol/requests.ts): one answer's work is bounded whatever the client asks. */
  limit: number;
  includeDocs: boolean;
  style: 'main_only' | 'all_docs';
  conflicts: boolean;
  descending: boolean;
  /** A long-poll with a heartbeat sends a newline this often and waits without end (CouchDB: the heartbeat overrides the timeout). */
  heartbeatMs?: number;
  timeoutMs: number;
  /** `_selector`: the one the sync client sends (sync/protocol/requests.ts `clockNodeSelectorSchema`), as the clock values it leaves out. */
  filter?: { kind: '_doc_ids'; docIds: string[] } | { kind: '_selector'; leavesOut: RegExp };
}

/** CouchDB's default long-poll timeout, and the longest this hub holds a request that sends nothing. */
const defaultTimeoutMs = 60_000;
const leastHeartbeatMs = 1_000;

export class ChangesQueryError extends Error {}

const flag = (value: string | null): boolean => value === 'true';

function wholeNumber(name: string, value: string): number {
  if (!/^\d{1,15}$/.test(value)) throw new ChangesQueryError(`${name} must be a whole number.`);
  return Number(value);
}

/** The query string and (for POST) the already validated body (sync/protocol/requests.ts `changesSchema`), read as CouchDB reads them. */
export function parseChangesQuery(search: URLSearchParams, body: { doc_ids?: string[]; selector?: ClockNodeSelector } | undefined): ChangesQuery {
  const feed = search.get('feed') ?? 'normal';
  if (feed !== 'normal' && feed !== 'longpoll') throw new ChangesQueryError('Only the normal and longpoll change feeds are available.');
  const sinceText = search.get('since') ?? '0';
  const since = sinceText === 'now' ? 'now' : wholeNumber('since', sinceText);
  const limitText = search.get('limit');
  const heartbeat = search.get('heartbeat');
  const timeoutText = search.get('timeout');
  const style = search.get('style') ?? 'main_only';
  if (style !== 'main_only' && style !== 'all_docs') throw new ChangesQueryError('style is main_only or all_docs.');

  let filter: ChangesQuery['filter'];
  const filterName = search.get('filter');
  if (filterName === '_selector') {
    if (!body?.selector) throw new ChangesQueryError('filter=_selector needs a selector in the request body.');
    // The pattern's form was checked (sync/protocol/requests.ts): no nested repetition, so it runs in linear time.
    filter = { kind: '_selector', leavesOut: new RegExp(body.selector.$nor[0].hlc.$regex) };
  } else if (filterName === '_doc_ids') {
    const fromQuery = search.get('doc_ids');
    const docIds = body?.doc_ids ?? (fromQuery !== null ? parseDocIds(fromQuery) : undefined);
    if (!docIds) throw new ChangesQueryError('filter=_doc_ids needs doc_ids.');
    filter = { kind: '_doc_ids', docIds };
  } else if (filterName !== null) {
    throw new ChangesQueryError('Only the built-in _doc_ids and _selector filters are available.');
  }

  return {
    feed,
    since,
    // At most a batch an answer, asked for or not: a client reads on from `last_seq`, as it does after any limit.
    limit: limitText !== null ? Math.min(maxDocs, Math.max(1, wholeNumber('limit', limitText))) : maxDocs,
    includeDocs: flag(search.get('include_docs')),
    style,
    conflicts: flag(search.get('conflicts')),
    descending: flag(search.get('descending')),
    ...(heartbeat !== null ? { heartbeatMs: heartbeat === 'true' ? defaultTimeoutMs : Math.max(leastHeartbeatMs, wholeNumber('heartbeat', heartbeat)) } : {}),
    timeoutMs: timeoutText !== null ? Math.min(defaultTimeoutMs, wholeNumber('timeout', timeoutText)) : defaultTimeoutMs,
    ...(filter ? { filter } : {}),
  };
}

function parseDocIds(text: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ChangesQueryError('doc_ids must be a JSON array of document ids.');
  }
  if (!Array.isArray(value) || !value.every((id): id is string => typeof id === 'string')) throw new ChangesQueryError('doc_ids must be a JSON array of document ids.');
  return value;
}

/**
 * Changes one filtered pass examines at most, whatever its filter leaves out.
 * PouchDB's own filtered pass reads on until `limit` changes pass the filter:
 * a workstation's pull that leaves out its own 20,000 versions made the hub
 * read all of them in one request (7.7 s of work, measured). A pass that
 * stops here answers what passed, with `last_seq` where it stopped, as a
 * CouchDB filtered feed does; the client asks on from there (hub-fetch.ts).
 */
export const maxExaminedPerPass = maxDocs;

interface Change {
  id: string;
  seq: number;
  doc?: { hlc?: unknown } | null;
}

interface Pass {
  results: unknown[];
  last_seq: number;
  /** The pass stopped at `maxExaminedPerPass` with more of the feed unread, not at its end. */
  cutShort: boolean;
}

const passesFilter = (filter: NonNullable<ChangesQuery['filter']>, change: Change): boolean =>
  filter.kind === '_doc_ids' ? filter.docIds.includes(change.id) : !(typeof change.doc?.hlc === 'string' && filter.leavesOut.test(change.doc.hlc));

/** One pass over the feed from `since`. */
async function pass(db: PouchDatabase, query: ChangesQuery, since: number | 'now'): Promise<Pass> {
  const options: PouchChangesOptions = { since, include_docs: query.includeDocs, style: query.style, conflicts: query.conflicts, descending: query.descending, return_docs: true };
  const filter = query.filter;
  if (!filter) {
    const answer = await db.changes({ ...options, limit: query.limit });
    return { results: answer.results, last_seq: answer.last_seq, cutShort: false };
  }
  // The selector is on the document; its text is read here, and sent only when asked for.
  const page = await db.changes({ ...options, limit: maxExaminedPerPass, include_docs: options.include_docs || filter.kind === '_selector' });
  const changes = page.results as Change[];
  const results: unknown[] = [];
  for (const change of changes) {
    if (!passesFilter(filter, change)) continue;
    results.push(query.includeDocs ? change : { ...change, doc: undefined });
    if (results.length === query.limit) return { results, last_seq: change.seq, cutShort: true };
  }
  return { results, last_seq: page.last_seq, cutShort: changes.length === maxExaminedPerPass };
}

/**
 * Resolves true at the next change of any document after `since`, false when
 * `deadline` passes or the client goes away. Unfiltered on purpose: PouchDB's
 * live feed moves its own `since` only past changes it emits, so a filtered
 * one rescanned everything its filter left out at each new write (a
 * workstation pushing 100,000 records, all left out of its own pull, made
 * the hub's work quadratic). The caller runs the filtered pass itself.
 */
function anyChange(db: PouchDatabase, since: number, deadline: number, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const live = db.changes({ since, live: true, return_docs: false });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (changed: boolean) => {
      clearTimeout(timer);
      res.off('close', gone);
      live.cancel();
      resolve(changed);
    };
    const gone = () => finish(false);
    live.on('change', () => finish(true));
    // A failing live feed (its database closed under it) ends the wait; the pass after it reports the failure.
    live.then(undefined, () => finish(true));
    res.on('close', gone);
    if (Number.isFinite(deadline)) timer = setTimeout(() => finish(false), Math.max(0, deadline - Date.now()));
  });
}

export async function serveChanges(db: PouchDatabase, query: ChangesQuery, res: ServerResponse): Promise<void> {
  let answer = await pass(db, query, query.since);
  // A pass cut short answers at once, empty or not: one request's work stays bounded, and the client polls on from `last_seq`.
  if (query.feed === 'longpoll' && answer.results.length === 0 && !answer.cutShort && !query.descending) {
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    if (query.heartbeatMs !== undefined) {
      // The headers go now, before the first newline, as CouchDB sends them.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      heartbeat = setInterval(() => res.write('\n'), query.heartbeatMs);
    }
    const deadline = query.heartbeatMs !== undefined ? Infinity : Date.now() + query.timeoutMs;
    try {
      for (;;) {
        const changed = await anyChange(db, answer.last_seq, deadline, res);
        if (res.destroyed) return;
        // After a timeout too: `last_seq` then moves past the changes the filter left out, so the next poll starts there.
        answer = await pass(db, query, answer.last_seq);
        if (answer.results.length > 0 || !changed || answer.cutShort) break;
      }
    } finally {
      clearInterval(heartbeat);
    }
  }
  if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ results: answer.results, last_seq: answer.last_seq }));
}
