import { z } from 'zod';
import { replicatedCollections, type ReplicatedCollection } from '../../app/replication/replicated-collections';
import { databaseOwner } from './naming';
import {
  allDocsBoundedSchema,
  allDocsSchema,
  allowedChangesFeeds,
  allowedChangesFilters,
  bulkDocsSchema,
  bulkGetSchema,
  changesSchema,
  docIdSchema,
  documentPutSchema,
  localDocumentPutSchema,
  localIdSchema,
  maxDocs,
  queryKeyPattern,
  revSchema,
  revsDiffSchema,
} from './requests';

/**
 * The allow-list: what a request may be, decided from its method and raw
 * target alone, before anything is read or any engine is asked.
 *
 * Derived from what the replication clients send:
 *  - RxDB 17's replication-couchdb plugin (src/plugins/replication-couchdb/
 *    index.ts) uses only `GET <db>/_changes` (feed=normal for catch-up,
 *    feed=longpoll for live), `POST <db>/_all_docs` with `{keys, include_docs,
 *    deleted}` before each push, `POST <db>/_bulk_docs`, and
 *    `GET <db>/_all_docs?include_docs=true&keys=[…]` after a conflict. It
 *    keeps checkpoints locally and never creates the database.
 *  - PouchDB's replicator (and CouchDB's) adds `GET /` (server uuid for the
 *    replication id), `GET`/`PUT <db>` (exists? else create),
 *    `GET`/`PUT <db>/_local/<id>` checkpoints, `POST <db>/_revs_diff`,
 *    `POST <db>/_bulk_get` (or single-document `GET`s as a fallback) and
 *    `_bulk_docs` with `new_edits: false`.
 * Everything else is refused: server and admin endpoints (`_all_dbs`,
 * `_config`, `_users`, `_replicate`, `_session` writes, …), database deletion,
 * design documents, attachments, `_security`, `_compact`, views, `_find`,
 * continuous feeds and design-document filters.
 *
 * Matching is on the raw (still percent-encoded) path, as Express matches its
 * routes, and a document id is judged on its decoded form, as Express hands it
 * to PouchDB; so `_design%2Fx` or `_bulk%5Fdocs` cannot slip through as an
 * ordinary document and then be read differently by the engine.
 */

export type BodyRule =
  | { kind: 'none' } // no body may be sent
  | { kind: 'empty' } // `PUT /<db>`: clients send none (a `{}` is tolerated)
  | { kind: 'json'; schema: z.ZodType };

export const engineOperations = [
  'database-info',
  'database-create',
  'changes',
  'all-docs',
  'bulk-docs',
  'bulk-get',
  'revs-diff',
  'checkpoint',
  'document',
] as const;
export type EngineOperation = (typeof engineOperations)[number];

export type Route =
  | { kind: 'health' }
  | { kind: 'session' }
  | { kind: 'enroll' }
  | { kind: 'issue-code' }
  /** The Open Data Hub's intake: a workstation sends de-identified records, or a withdrawal notice. */
  | { kind: 'odh-submit' }
  | { kind: 'odh-withdraw' }
  /** A researcher reads (a reader token, not a workstation's credentials): the export manifest, one type's NDJSON, counts. */
  | { kind: 'odh-read'; what: 'manifest' | 'file' | 'counts'; resourceType?: string; by?: string; k?: string }
  /** A workstation fetches its region's road graph (sync/hub/region/region-store.ts), to route offline. */
  | { kind: 'region-graph' }
  /** Another system asks the facility directory (an API token, not a workstation's credentials; sync/hub/directory/facility-api.ts). */
  | { kind: 'facility-search'; near?: string; capability?: string; limit?: string }
  /** `documentId`: the decoded id of a single-document request. */
  | { kind: 'engine'; operation: EngineOperation; database: string; body: BodyRule; documentId?: string }
  /** 403 once the caller is authenticated. */
  | { kind: 'refused'; reason: string }
  /** 400 once the caller is authenticated. */
  | { kind: 'malformed'; reason: string };

/** Characters RFC 3986 allows in a path, plus `%` for escapes; anything else (a `#`, a space, a backslash) is malformed. */
const rawPathPattern = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const badEscape = /%(?![0-9A-Fa-f]{2})/;

const refused = (reason: string): Route => ({ kind: 'refused', reason });
const malformed = (reason: string): Route => ({ kind: 'malformed', reason });
const notAllowed = (method: string) => refused(`This hub does not allow ${method} here: it serves only what replication needs.`);
const none: BodyRule = { kind: 'none' };
const json = (schema: z.ZodType): BodyRule => ({ kind: 'json', schema });

function decodeSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function checkChangesQuery(query: URLSearchParams): Route | undefined {
  if (query.getAll('feed').some((feed) => !allowedChangesFeeds.has(feed))) {
    return refused('Only the normal and longpoll change feeds are available.');
  }
  if (query.getAll('filter').some((filter) => !allowedChangesFilters.has(filter))) {
    return refused('Only the built-in _doc_ids and _selector filters are available (design documents are not).');
  }
  return undefined;
}

const boundedCount = z.coerce.number().int().nonnegative().max(maxDocs);
const keysQuerySchema = z.array(z.string().max(512)).max(maxDocs);

/**
 * `_all_docs` reads a list of keys (what replication sends), or a range of at
 * most `maxDocs` rows: without a limit, one request would read and send a
 * whole database (the POST body's bound is in requests.ts `allDocsSchema`).
 */
function checkAllDocsQuery(method: string, query: URLSearchParams): Route | undefined {
  const keys = query.get('keys');
  const limit = query.get('limit');
  const skip = query.get('skip');
  if (keys !== null && !keysQuerySchema.safeParse(parseJsonOrUndefined(keys)).success) return malformed(`keys must be a JSON list of at most ${maxDocs} document ids.`);
  if (limit !== null && !boundedCount.safeParse(limit).success) return malformed(`limit may be at most ${maxDocs}.`);
  if (skip !== null && !boundedCount.safeParse(skip).success) return malformed(`skip may be at most ${maxDocs}.`);
  if (method !== 'POST' && keys === null && limit === null) return malformed(`Ask _all_docs for a list of keys, or give a limit of at most ${maxDocs}.`);
  return undefined;
}

const openRevsSchema = z.union([z.literal('all'), z.array(revSchema).max(1_000)]);

/** A document's `?rev=` (read, update, delete) and `?open_revs=` (PouchDB's replicator) name revisions within the bound. */
function checkRevisionQuery(query: URLSearchParams): Route | undefined {
  const revs = query.getAll('rev');
  if (revs.length > 1 || revs.some((rev) => !revSchema.safeParse(rev).success)) return malformed('The rev parameter is not a revision this hub accepts.');
  const openRevs = query.getAll('open_revs');
  if (openRevs.length > 1 || openRevs.some((value) => !openRevsSchema.safeParse(value === 'all' ? value : parseJsonOrUndefined(value)).success)) {
    return malformed('The open_revs parameter is not a list of revisions this hub accepts.');
  }
  return undefined;
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * What `method` and `target` ask for. `collections`: the declared replicated
 * collections; a database of any other name is not reachable.
 */
export function parseRoute(method: string, target: string, collections: readonly ReplicatedCollection[] = replicatedCollections): Route {
  const queryStart = target.indexOf('?');
  const rawPath = queryStart === -1 ? target : target.slice(0, queryStart);
  const query = new URLSearchParams(queryStart === -1 ? '' : target.slice(queryStart + 1));
  if (!rawPathPattern.test(rawPath) || badEscape.test(rawPath)) return malformed('The request path is not a valid URL path.');
  for (const name of query.keys()) {
    if (!queryKeyPattern.test(name)) return malformed('A query parameter name is not one CouchDB uses.');
  }

  if (rawPath === '/') return method === 'GET' || method === 'HEAD' ? { kind: 'health' } : notAllowed(method);

  const segments = rawPath.slice(1).split('/');
  const trailingSlash = segments.length > 1 && segments[segments.length - 1] === '';
  if (trailingSlash) segments.pop();
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return malformed('The request path has an empty or dot segment.');
  const [first, second, third, ...rest] = segments as [string, ...string[]];

  if (first === '_session' && segments.length === 1 && !trailingSlash) {
    return method === 'GET' || method === 'HEAD' ? { kind: 'session' } : refused('Sessions are not used here: send the workstation credentials with each request.');
  }
  if (first === '_odh' && !trailingSlash) {
    const reading = method === 'GET' || method === 'HEAD';
    if (segments.length === 2 && second === 'submissions') return method === 'POST' ? { kind: 'odh-submit' } : notAllowed(method);
    if (segments.length === 2 && second === 'withdrawals') return method === 'POST' ? { kind: 'odh-withdraw' } : notAllowed(method);
    if (segments.length === 2 && second === '$export') return reading ? { kind: 'odh-read', what: 'manifest' } : notAllowed(method);
    if (segments.length === 2 && second === 'counts') return reading ? { kind: 'odh-read', what: 'counts', ...(query.has('by') ? { by: query.get('by')! } : {}), ...(query.has('k') ? { k: query.get('k')! } : {}) } : notAllowed(method);
    const file = segments.length === 3 && second === 'export' ? /^(Patient|Encounter|Observation|Condition)\.ndjson$/.exec(third ?? '') : null;
    if (file) return reading ? { kind: 'odh-read', what: 'file', resourceType: file[1]! } : notAllowed(method);
    return refused('There is no such Open Data Hub endpoint.');
  }
  if (first === '_region' && segments.length === 2 && second === 'graph' && !trailingSlash) return method === 'GET' ? { kind: 'region-graph' } : notAllowed(method);
  if (first === 'api') {
    if (segments.length !== 3 || second !== 'v1' || third !== 'facilities' || trailingSlash) return refused('There is no such API endpoint; the directory is at /api/v1/facilities.');
    if (method !== 'GET' && method !== 'HEAD') return notAllowed(method);
    const given = (name: string) => (query.has(name) ? { [name]: query.get(name)! } : {});
    return { kind: 'facility-search', ...given('near'), ...given('capability'), ...given('limit') };
  }
  if (first === '_clinic' && segments.length === 2 && !trailingSlash) {
    if (second === 'enroll') return method === 'POST' ? { kind: 'enroll' } : notAllowed(method);
    if (second === 'enrollment-codes') return method === 'POST' ? { kind: 'issue-code' } : notAllowed(method);
  }
  if (!databaseOwner(first, collections)) {
    return first.startsWith('_') || first.startsWith('%')
      ? refused('Server and administration endpoints are not available through this hub.')
      : refused('Only your clinic’s databases can be reached through this hub.');
  }
  const database = first;
  const engine = (operation: EngineOperation, body: BodyRule, documentId?: string): Route => ({ kind: 'engine', operation, database, body, ...(documentId !== undefined ? { documentId } : {}) });

  if (second === undefined) {
    if (method === 'GET' || method === 'HEAD') return engine('database-info', none);
    if (method === 'PUT') return engine('database-create', { kind: 'empty' });
    return refused('Databases cannot be deleted or written to as a whole through this hub.');
  }
  if (trailingSlash) return malformed('Only a database path may end with a slash.');

  if (third === undefined) {
    switch (second) {
      case '_changes': {
        const feedRefusal = checkChangesQuery(query);
        if (feedRefusal) return feedRefusal;
        if (method === 'GET') return engine('changes', none);
        if (method === 'POST') return engine('changes', json(changesSchema));
        return notAllowed(method);
      }
      case '_all_docs': {
        const allDocsRefusal = checkAllDocsQuery(method, query);
        if (allDocsRefusal) return allDocsRefusal;
        if (method === 'GET' || method === 'HEAD') return engine('all-docs', none);
        if (method === 'POST') return engine('all-docs', json(query.has('limit') ? allDocsSchema : allDocsBoundedSchema));
        return notAllowed(method);
      }
      case '_bulk_docs':
        return method === 'POST' ? engine('bulk-docs', json(bulkDocsSchema)) : notAllowed(method);
      case '_bulk_get':
        return method === 'POST' ? engine('bulk-get', json(bulkGetSchema)) : notAllowed(method);
      case '_revs_diff':
        return method === 'POST' ? engine('revs-diff', json(revsDiffSchema)) : notAllowed(method);
    }
    if (second.startsWith('_')) return refused('This database endpoint is not available through this hub.');
    const id = decodeSegment(second);
    if (id === undefined || id.includes('/') || !docIdSchema.safeParse(id).success) {
      return refused('Design documents and ids starting with "_" are not available through this hub.');
    }
    const revisionRefusal = checkRevisionQuery(query);
    if (revisionRefusal) return revisionRefusal;
    if (method === 'GET' || method === 'HEAD') return engine('document', none, id);
    // A bare deletion would be a document with nothing the workstations can check (document-rules.ts).
    if (method === 'DELETE') return refused('A record is deleted by writing it, sealed, marked deleted; this hub stores no bare deletions.');
    if (method === 'PUT') return engine('document', json(documentPutSchema(id)), id);
    return notAllowed(method);
  }

  if (second === '_local' && rest.length === 0) {
    const id = decodeSegment(third);
    if (id === undefined || id.includes('/') || !localIdSchema.safeParse(id).success) return malformed('That is not a checkpoint id.');
    if (method === 'GET' || method === 'HEAD') return engine('checkpoint', none);
    if (method === 'PUT') return engine('checkpoint', json(localDocumentPutSchema(id)));
    return notAllowed(method);
  }
  return second === '_design'
    ? refused('Design documents are not available through this hub.')
    : refused('Attachments and other sub-resources are not available through this hub.');
}

/** Operations that write to a database; the others only read. */
const writes = (operation: EngineOperation, method: string): boolean =>
  operation === 'bulk-docs' || operation === 'database-create' || ((operation === 'document' || operation === 'checkpoint') && method === 'PUT');

/**
 * Why a workstation may not ask `operation` of this collection's database (one
 * sentence), or undefined when it may: derived from the collection's
 * declaration, so a new collection needs no rule of its own here.
 *  - one the hub operator writes is read-only to workstations: no documents,
 *    no checkpoints (PouchDB's replicator carries on without a checkpoint on a
 *    read-only source), no database creation;
 *  - one workstations only push is never read back through the change feed
 *    (RxDB's push still reads the hub's version of the documents it sends).
 */
export function collectionRefusal(collection: ReplicatedCollection, operation: EngineOperation, method: string): string | undefined {
  if (collection.writtenBy === 'hub-operator' && writes(operation, method)) return 'This collection is kept by the hub operator; workstations only read it.';
  if (collection.direction === 'push' && operation === 'changes') return 'This collection is sent to the hub only; it is not read back from it.';
  return undefined;
}
