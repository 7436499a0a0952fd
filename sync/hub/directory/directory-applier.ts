import type { PouchDatabase, PouchDocument } from 'pouchdb-node';
import { directoryEntrySchema, type DirectoryEntry, type DirectoryEntryContent } from '../../../app/facilities/directory-entry';
import type { Logger } from '../../../app/log/logger';
import { createHlcClock } from '../../../app/records/hlc';
import { queuedChanges, readQueuedChange, recordApplied, type DirectoryChange, type DirectoryResult } from './directory-changes';

/**
 * The hub's side of the directory: applies the operator's queued changes
 * (directory-changes.ts) to the shared database every workstation pulls, and
 * keeps the directory in memory for the facility API. An imported entry
 * replaces what the source says (name, kind, position, phone, ...), but each
 * capability keeps whichever confirmation is newer: a re-import of
 * OpenStreetMap does not undo "no oxygen this week" confirmed by the operator
 * yesterday.
 */

export interface DirectoryApplier {
  /** The directory as it stands (without the withdrawn). */
  entries(): readonly DirectoryEntry[];
  /** Applies whatever is queued now (also run every `pollMs`). */
  applyQueued(): Promise<void>;
  close(): void;
}

const pollMs = 1000;

/** The entry a stored document holds (`_id` is the id; `_rev` is the engine's), or undefined when it is not one. */
function entryOf(doc: PouchDocument): DirectoryEntry | undefined {
  const { _id, _rev, _deleted, ...rest } = doc;
  void _rev;
  if (_deleted) return undefined;
  const parsed = directoryEntrySchema.safeParse({ ...rest, id: _id });
  return parsed.success ? parsed.data : undefined;
}

/** JSON with every object's keys in order: two entries saying the same read the same. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) => (inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1))) : inner));

/** Whether two entries say the same, clock and import time aside. */
function same(stored: DirectoryEntry, incoming: DirectoryEntryContent): boolean {
  return canonical({ ...stored, hlc: undefined, updatedAt: undefined }) === canonical({ ...incoming, updatedAt: undefined });
}

/** The incoming entry, with each capability's newer confirmation kept from the stored one, and withdrawn if it was. */
function merged(stored: DirectoryEntry | undefined, incoming: DirectoryEntryContent): DirectoryEntryContent {
  if (!stored) return incoming;
  const capabilities = { ...incoming.capabilities };
  for (const [capability, status] of Object.entries(stored.capabilities) as [keyof DirectoryEntry['capabilities'], NonNullable<DirectoryEntry['capabilities'][keyof DirectoryEntry['capabilities']]>][]) {
    const fresh = capabilities[capability];
    if (!fresh || Date.parse(fresh.confirmedAt) < Date.parse(status.confirmedAt)) capabilities[capability] = status;
  }
  return { ...incoming, capabilities, ...(stored.withdrawn ? { withdrawn: true as const } : {}) };
}

export async function startDirectoryApplier({ dataDir, database, log, now = () => Date.now() }: { dataDir: string; database: PouchDatabase; log: Logger; now?: () => number }): Promise<DirectoryApplier> {
  const clock = createHlcClock('hub', now);
  const current = new Map<string, { entry: DirectoryEntry; rev: string }>();
  for (const row of (await database.allDocs({ include_docs: true })).rows) {
    const entry = row.doc ? entryOf(row.doc) : undefined;
    if (entry && row.doc?._rev) current.set(entry.id, { entry, rev: row.doc._rev });
  }
  log.info('directory.loaded', { facilities: current.size });

  async function write(content: DirectoryEntryContent): Promise<void> {
    const entry: DirectoryEntry = { ...content, hlc: clock.tick() };
    const { id, ...body } = entry;
    const known = current.get(id);
    const answer = await database.put({ _id: id, ...(known ? { _rev: known.rev } : {}), ...body });
    if (!answer.ok || !answer.rev) throw new Error('the directory database refused a write');
    current.set(id, { entry, rev: answer.rev });
  }

  async function apply(change: DirectoryChange): Promise<DirectoryResult> {
    const result: DirectoryResult = { created: 0, updated: 0, unchanged: 0, removed: 0, unknown: [] };
    if (change.kind === 'upsert') {
      for (const incoming of change.entries) {
        const stored = current.get(incoming.id)?.entry;
        const next = merged(stored, incoming);
        if (stored && same(stored, next)) {
          result.unchanged++;
          continue;
        }
        await write(next);
        if (stored) result.updated++;
        else result.created++;
      }
    } else if (change.kind === 'set-capability') {
      const stored = current.get(change.id)?.entry;
      if (!stored) result.unknown.push(change.id);
      else {
        await write({ ...stored, capabilities: { ...stored.capabilities, [change.capability]: { available: change.available, confirmedAt: change.confirmedAt, confirmedBy: change.confirmedBy } }, updatedAt: new Date(now()).toISOString() });
        result.updated++;
      }
    } else {
      const stored = current.get(change.id)?.entry;
      if (!stored) result.unknown.push(change.id);
      else if (!stored.withdrawn) {
        await write({ ...stored, withdrawn: true, updatedAt: new Date(now()).toISOString() });
        result.removed++;
      }
    }
    return result;
  }

  let running: Promise<void> | undefined;
  async function applyQueued(): Promise<void> {
    for (const name of await queuedChanges(dataDir)) {
      const change = await readQueuedChange(dataDir, name).catch(() => undefined);
      if (!change) {
        await recordApplied(dataDir, name, { refused: 'The change file is not in the expected form; nothing was applied.' });
        continue;
      }
      const result = await apply(change);
      await recordApplied(dataDir, name, result);
      log.info('directory.applied', { created: result.created, updated: result.updated, unchanged: result.unchanged, removed: result.removed });
    }
  }
  /** One pass at a time: a poll that comes while one runs waits for it. */
  const pass = () => (running ??= applyQueued().finally(() => (running = undefined)));
  await pass();
  const timer = setInterval(() => {
    pass().catch((error: unknown) => log.error('directory.apply_failed', { name: error instanceof Error ? error.name : typeof error }));
  }, pollMs);
  timer.unref();
  return {
    entries: () => [...current.values()].map(({ entry }) => entry).filter((entry) => !entry.withdrawn),
    applyQueued: pass,
    close: () => clearInterval(timer),
  };
}
