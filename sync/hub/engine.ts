import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import expressPouchDB from 'express-pouchdb';
import { getOrCreateDB } from 'express-pouchdb/lib/create-or-delete-dbs.js';
import PouchDB from 'pouchdb-node';
import type { Logger } from './log';

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
export interface Engine {
  /** `body` is the already validated JSON body (or `{}`); the request stream has been read or was empty. */
  handle(req: IncomingMessage, res: ServerResponse, body: unknown): void;
  /** Creates the databases that do not exist yet. */
  ensureDatabases(names: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

const routeModules = [
  'routes/db',
  'routes/changes',
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
    res.statusCode = 500;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ error: 'internal', reason: 'The hub could not complete this request; nothing more is known here.' }));
  });
  await router.setPouchDB(Pouch);

  return {
    handle(req, res, body) {
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
    async close() {
      // The router's cache of open databases (see getOrCreateDB); LevelDB flushes on close.
      const cache = (Pouch as unknown as { __dbCacheMap?: { forEach(each: (db: { close(): Promise<void> }) => void): void } }).__dbCacheMap;
      const open: { close(): Promise<void> }[] = [];
      cache?.forEach((db) => open.push(db));
      await Promise.all(open.map((db) => db.close().catch(() => undefined)));
    },
  };
}
