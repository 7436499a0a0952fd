import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import expressPouchDB from 'express-pouchdb';
import { getOrCreateDB } from 'express-pouchdb/lib/create-or-delete-dbs.js';
import PouchDB, { type PouchDatabase } from 'pouchdb-node';
import { readAllDocsByKeys, serveAllDocsByKeys, type AllDocsByKeys } from './all-docs-by-keys';
import { serveBulkDocs, type RefusedDocument, type ScreenedBulkDocs } from './bulk-docs';
import { ChangesQueryError, parseChangesQuery, serveChanges } from './changes-feed';
import type { Logger } from '../../app/log/logger';
import { changesSchema } from '../protocol/requests';
import type { EngineOperation } from '../protocol/routes';

/**
 * The CouchDB protocol engine: the express-pouchdb router over PouchDB on
 * LevelDB. It is never reachable on its own: only front.ts calls `handle`,
 * after authentication, the clinic check, the allow-list and body validation.
 *
 * The router is built in its "custom" mode with only the route modules
 * replication uses, so even a hole in the front would find no `_config`,
 * `_users`, `_session`, `_replicate`, `_all_dbs`, Fauxton, views or
 * attachments behind it (pouchdb-server's defaults include all of those).
 */
export interface EngineTarget {
  operation: EngineOperation;
  database: string;
  /** `bulk-docs`: documents of the body the front refused (document-rules.ts); the engine stores the others. */
  refused?: readonly RefusedDocument[];
}

export interface Engine {
  /**
   * `body` is the already validated JSON body (or `{}`); the request stream
   * has been read or was empty. `target` is what the front routed it to;
   * without one (the engine's own tests of the bare router) the router answers.
   */
  handle(req: IncomingMessage, res: ServerResponse, body: unknown, target?: EngineTarget): void;
  /** Creates the databases that do not exist yet. */
  ensureDatabases(names: readonly string[]): Promise<void>;
  /** A database the engine holds, for the hub's own writes (the operator's directory); undefined when there is none. */
  openDatabase(name: string): Promise<PouchDatabase | undefined>;
  close(): Promise<void>;
}

const internalFailure = { error: 'internal', reason: 'The hub could not complete this request; nothing more is known here.' };

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The query string of a request the front already routed. */
function searchOf(req: IncomingMessage): URLSearchParams {
  const target = req.url ?? '';
  const start = target.indexOf('?');
  return new URLSearchParams(start === -1 ? '' : target.slice(start + 1));
}

const routeModules = [
  'routes/db',
  'routes/all-docs',
  'routes/bulk-docs',
  'routes/bulk-get',
  'routes/revs-diff',
  'routes/documents',
  'routes/404',
];

/** How body-parser (inside the router) recognizes a body that was parsed already. */
interface PreParsedRequest extends IncomingMessage {
  body?: unknown;
  _body?: boolean;
}

export async function startEngine(dataDir: string, log: Logger): Promise<Engine> {
  const storeDir = join(dataDir, 'databases');
  await mkdir(storeDir, { recursive: true, mode: 0o700 });
  const Pouch = PouchDB.defaults({ prefix: `${storeDir}/` });
  const router = expressPouchDB({ mode: 'custom', overrideMode: { include: routeModules } });
  router.disable('x-powered-by');
  // Express's default error page shows stack traces outside production.
  router.set('env', 'production');
  // Four parameters: that is how Express tells an error handler from a middleware.
  router.use((error, _req, res, next) => {
    log.error('engine.error', { name: error instanceof Error ? error.name : typeof error });
    if (res.headersSent) {
      next(error); // Express's own handler then closes the connection mid-response
      return;
    }
    sendJson(res, 500, internalFailure);
  });
  await router.setPouchDB(Pouch);

  /** The database, as the router finds it: one the engine does not hold is not found (404 sent), never created on the way. */
  async function database(res: ServerResponse, name: string): Promise<PouchDatabase | undefined> {
    if ((await Pouch.allDbs!()).includes(name)) return getOrCreateDB(Pouch, name);
    sendJson(res, 404, { error: 'not_found', reason: 'no_db_file' });
    return undefined;
  }

  /** Change feeds are ours (changes-feed.ts says why). */
  async function changes(req: IncomingMessage, res: ServerResponse, body: unknown, name: string): Promise<void> {
    const parsedBody = changesSchema.safeParse(body);
    const query = parseChangesQuery(searchOf(req), parsedBody.success ? parsedBody.data : undefined);
    const db = await database(res, name);
    if (db) await serveChanges(db, query, res);
  }

  /** `_all_docs` for a list of keys too (all-docs-by-keys.ts says why); other forms go to the router. */
  async function allDocsByKeys(res: ServerResponse, request: AllDocsByKeys, name: string): Promise<void> {
    const db = await database(res, name);
    if (db) await serveAllDocsByKeys(db, request, res);
  }

  /** `_bulk_docs` through the front is ours (bulk-docs.ts says why); the router's serves only the bare router's own tests. */
  async function bulkDocs(res: ServerResponse, request: ScreenedBulkDocs, refused: readonly RefusedDocument[], name: string): Promise<void> {
    const db = await database(res, name);
    if (db) await serveBulkDocs(db, request, refused, res);
  }

  function failed(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.destroy(); // mid-answer: the client sees a cut response, never a truncated one that parses
      return;
    }
    if (error instanceof ChangesQueryError) {
      sendJson(res, 400, { error: 'bad_request', reason: error.message });
      return;
    }
    const status = (error as { status?: unknown } | null)?.status;
    if (status === 400) {
      sendJson(res, 400, { error: 'bad_request', reason: 'This request is not one this hub can answer (check its options, filter and selector).' });
      return;
    }
    log.error('engine.error', { name: error instanceof Error ? error.name : typeof error });
    sendJson(res, 500, internalFailure);
  }

  return {
    handle(req, res, body, target) {
      if (target?.operation === 'changes') {
        changes(req, res, body, target.database).catch((error: unknown) => failed(res, error));
        return;
      }
      if (target?.operation === 'bulk-docs') {
        bulkDocs(res, body as ScreenedBulkDocs, target.refused ?? [], target.database).catch((error: unknown) => failed(res, error));
        return;
      }
      const byKeys = target?.operation === 'all-docs' ? readAllDocsByKeys(searchOf(req), body) : undefined;
      if (target && byKeys) {
        allDocsByKeys(res, byKeys, target.database).catch((error: unknown) => failed(res, error));
        return;
      }
      const request = req as PreParsedRequest;
      request.body = body;
      request._body = true;
      router(request, res);
    },
    async ensureDatabases(names) {
      const existing = new Set(await Pouch.allDbs!());
      for (const name of names) {
        if (existing.has(name)) continue;
        const db = await getOrCreateDB(Pouch, name);
        await db.info();
      }
      // pouchdb-all-dbs records new databases on a queue; allDbs() waits for it, and
      // the router answers 404 for any database not on that list.
      const after = new Set(await Pouch.allDbs!());
      if (names.some((name) => !after.has(name))) throw new Error('a database was not registered');
    },
    async openDatabase(name) {
      return (await Pouch.allDbs!()).includes(name) ? getOrCreateDB(Pouch, name) : undefined;
    },
    async close() {
      // The router's cache of open databases (see getOrCreateDB); LevelDB flushes on close.
      const cache = (Pouch as unknown as { __dbCacheMap?: { forEach(each: (db: { close(): Promise<void> }) => void): void } }).__dbCacheMap;
      const open: { close(): Promise<void> }[] = [];
      cache?.forEach((db) => open.push(db));
      await Promise.all(open.map((db) => db.close().catch(() => undefined)));
    },
  };
}
