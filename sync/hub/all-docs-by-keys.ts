import type { ServerResponse } from 'node:http';
import type { PouchDatabase, PouchDocument } from 'pouchdb-node';

/**
 * `_all_docs` for a list of `keys` (what RxDB's CouchDB replication asks
 * before every push, for the hub's current version of each document), answered
 * with one document read per key. PouchDB answers the same request with a
 * one-key range query per key, which measured 3–5 times slower for 1,000 keys
 * (and before each push of 1,000 the hub spent more on it than on storing
 * them). Same rows as PouchDB's: `{id, key, value: {rev}, doc}` for a
 * document, `{id, key, value: {rev, deleted: true}, doc: null}` for a deleted
 * one (looked up the slow way: they are rare), `{key, error: "not_found"}`
 * for one never written. Any other form of `_all_docs` (ranges, limit, skip,
 * descending) goes to the router unchanged.
 */

export interface AllDocsByKeys {
  keys: string[];
  includeDocs: boolean;
  conflicts: boolean;
}

const handled = new Set(['keys', 'include_docs', 'conflicts', 'deleted']);

/** The request as this module answers it, or undefined when it is another form of `_all_docs`. */
export function readAllDocsByKeys(search: URLSearchParams, body: unknown): AllDocsByKeys | undefined {
  const fromBody = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const options: Record<string, unknown> = { ...fromBody };
  for (const [name, value] of search) {
    try {
      options[name] = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const { keys } = options;
  if (!Array.isArray(keys) || !keys.every((key): key is string => typeof key === 'string')) return undefined;
  if (Object.keys(options).some((name) => !handled.has(name))) return undefined;
  if (options.deleted !== undefined && options.deleted !== 'ok') return undefined;
  return { keys, includeDocs: options.include_docs === true, conflicts: options.conflicts === true };
}

type Row = { id: string; key: string; value: { rev: string; deleted?: true }; doc?: PouchDocument | null } | { key: string; error: 'not_found' };

async function rowFor(db: PouchDatabase, key: string, request: AllDocsByKeys): Promise<Row> {
  try {
    const doc = await db.get(key, request.conflicts ? { conflicts: true } : {});
    return { id: key, key, value: { rev: doc._rev! }, ...(request.includeDocs ? { doc } : {}) };
  } catch (error) {
    const { status, reason } = error as { status?: unknown; reason?: unknown };
    if (status !== 404) throw error;
    if (reason !== 'deleted') return { key, error: 'not_found' };
    const [row] = (await db.allDocs({ keys: [key], include_docs: request.includeDocs, conflicts: request.conflicts })).rows;
    return row ?? { key, error: 'not_found' };
  }
}

export async function serveAllDocsByKeys(db: PouchDatabase, request: AllDocsByKeys, res: ServerResponse): Promise<void> {
  const [rows, info] = await Promise.all([Promise.all(request.keys.map((key) => rowFor(db, key, request))), db.info()]);
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ total_rows: info.doc_count, offset: 0, rows }));
}
