import type { PouchDatabase, PouchDocument } from 'pouchdb-node';

/**
 * The PouchDB references' source documents (not timed): one clinic's records
 * as the hub holds them, `_rev` removed, written into `into` under the
 * reference clinic's id (the hub keeps a clinic's records only in that
 * clinic's database, sync/hub/document-rules.ts). Runs in Node and on the
 * benchmark page alike. Returns how many were copied.
 */
export async function copyHubDocuments(from: { url: string; authorization: string }, clinicId: string, into: PouchDatabase): Promise<number> {
  let copied = 0;
  for (let startkey: string | undefined; ; ) {
    // The hub answers at most 1,000 rows a request.
    const query = new URLSearchParams({ include_docs: 'true', limit: '1000', ...(startkey !== undefined ? { startkey: JSON.stringify(startkey), skip: '1' } : {}) });
    const response = await fetch(`${from.url}/_all_docs?${query}`, { headers: { Authorization: from.authorization } });
    if (!response.ok) throw new Error(`reading the hub's documents: ${response.status} ${await response.text()}`);
    const rows = ((await response.json()) as { rows: { id: string; doc: PouchDocument }[] }).rows;
    if (rows.length === 0) return copied;
    const batch = rows.map(({ doc }) => {
      const { _rev, ...content } = doc;
      void _rev;
      return { ...content, clinicId };
    });
    const written = await into.bulkDocs(batch);
    if (written.some((r) => !r.ok)) throw new Error('the reference source refused a document');
    copied += batch.length;
    startkey = rows.at(-1)!.id;
  }
}
