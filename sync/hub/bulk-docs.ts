import type { ServerResponse } from 'node:http';
import type { PouchDatabase, PouchDocument, PouchWriteResult } from 'pouchdb-node';

/**
 * `POST /<db>/_bulk_docs`, served here over PouchDB rather than by
 * express-pouchdb's route, for two things that route cannot do:
 *
 *  - Documents the front refused (document-rules.ts) are left out and each
 *    gets its own `forbidden` row, as CouchDB answers a document its
 *    validation function rejects; the others are stored. So one bad
 *    document never fails the batch it came in, and the replicator that
 *    sent it goes on with the rest instead of retrying the batch for ever.
 *  - The batch is stored in slices, yielding between them: PouchDB stores
 *    a slice without letting anything else run, and a whole batch of 1,000
 *    kept other clinics' requests waiting (BENCHMARKS.md, the hub's stall).
 *    CouchDB's `_bulk_docs` is not atomic either: each document succeeds or
 *    fails alone, in order, as here.
 *
 * The rows follow CouchDB: one per document in order (`new_edits` true), or
 * only the failures (`new_edits: false`, replicators writing revisions made
 * elsewhere); errors shaped as express-pouchdb shapes them.
 */

/** Documents stored at once; see above. */
const sliceSize = 200;

export interface RefusedDocument {
  /** Its place in the request's `docs`. */
  index: number;
  id: string;
  reason: string;
}

export interface ScreenedBulkDocs {
  docs: PouchDocument[];
  new_edits?: boolean;
}

type Row = { ok: true; id: string; rev: string } | { id: string; error: string; reason: string };

const asRow = (result: PouchWriteResult): Row =>
  result.error ? { id: result.id ?? '', error: result.name ?? 'error', reason: result.message ?? '' } : { ok: true, id: result.id ?? '', rev: result.rev ?? '' };

export async function serveBulkDocs(db: PouchDatabase, request: ScreenedBulkDocs, refused: readonly RefusedDocument[], res: ServerResponse): Promise<void> {
  const refusedAt = new Map(refused.map((doc) => [doc.index, doc]));
  const accepted = request.docs.filter((_, index) => !refusedAt.has(index));
  const newEdits = request.new_edits !== false;
  const stored: Row[] = [];
  for (let from = 0; from < accepted.length; from += sliceSize) {
    if (from > 0) await new Promise((resolve) => setImmediate(resolve));
    stored.push(...(await db.bulkDocs({ docs: accepted.slice(from, from + sliceSize), new_edits: newEdits })).map(asRow));
  }
  const refusalRow = (doc: RefusedDocument): Row => ({ id: doc.id, error: 'forbidden', reason: doc.reason });

  let rows: Row[];
  if (!newEdits) {
    rows = [...refused.map(refusalRow), ...stored];
  } else {
    rows = [];
    let next = 0;
    for (let index = 0; index < request.docs.length; index++) {
      const refusal = refusedAt.get(index);
      rows.push(refusal ? refusalRow(refusal) : stored[next++]!);
    }
  }
  res.writeHead(201, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(rows));
}
