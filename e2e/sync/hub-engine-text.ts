import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import PouchDB from 'pouchdb-node';

/**
 * Everything the hub's storage engine holds, as text: every document of every
 * database, deleted ones too, and every revision whose body is still stored.
 * The raw bytes of the data folder are not enough for a PHI scan: LevelDB
 * compresses its table files, so text there can be missed. The hub must be
 * stopped first (LevelDB allows one process per store).
 */
export async function hubEngineText(dataDir: string): Promise<string> {
  const storeDir = join(dataDir, 'databases');
  const Pouch = PouchDB.defaults({ prefix: `${storeDir}/` });
  const parts: string[] = [];
  for (const entry of await readdir(storeDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const db = new Pouch(entry.name);
    try {
      const changes = await db.changes({ since: 0, style: 'all_docs', return_docs: true });
      for (const change of changes.results as { id: string; changes: { rev: string }[] }[]) {
        for (const { rev } of change.changes) {
          const leaf = await db.get(change.id, { rev, revs_info: true });
          const revisions = (leaf._revs_info as { rev: string; status: string }[] | undefined) ?? [];
          for (const { rev: stored, status } of revisions) {
            if (status === 'available') parts.push(JSON.stringify(await db.get(change.id, { rev: stored })));
          }
        }
      }
    } finally {
      await db.close();
    }
  }
  return parts.join('\n');
}
