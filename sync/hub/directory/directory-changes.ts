import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { facilityCapabilities } from '../../../app/facilities/capabilities';
import { directoryEntryContentSchema } from '../../../app/facilities/directory-entry';

/**
 * Changes to the shared facility directory, from the hub operator's admin
 * commands to the running hub. The database is the hub process's own (LevelDB
 * allows one process), so a command checks its input, writes the change as a
 * file into `<data>/directory/inbox/`, and the hub applies it
 * (directory-applier.ts), moves it to `applied/` and writes what it did
 * beside it, which the command waits for and prints. A change queued while
 * the hub is stopped is applied when it starts.
 */

export const directoryChangeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('upsert'), source: z.string().max(500), entries: z.array(directoryEntryContentSchema).max(500_000) }),
  z.strictObject({
    kind: z.literal('set-capability'),
    id: z.string().max(100),
    capability: z.enum(facilityCapabilities),
    available: z.boolean(),
    confirmedBy: z.string().min(1).max(300),
    confirmedAt: z.iso.datetime({ offset: true }),
  }),
  z.strictObject({ kind: z.literal('remove'), id: z.string().max(100) }),
]);
export type DirectoryChange = z.infer<typeof directoryChangeSchema>;

export const directoryResultSchema = z.strictObject({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  removed: z.number().int(),
  /** Facilities a change named that the directory does not hold. */
  unknown: z.array(z.string()),
});
export type DirectoryResult = z.infer<typeof directoryResultSchema>;

const folder = (dataDir: string, name: 'inbox' | 'applied') => join(dataDir, 'directory', name);

/** Queues a change for the hub; returns its name. Written beside and renamed in, so the hub never reads half a file. */
export async function queueDirectoryChange(dataDir: string, change: DirectoryChange): Promise<string> {
  const inbox = folder(dataDir, 'inbox');
  await mkdir(inbox, { recursive: true, mode: 0o700 });
  const name = `${Date.now().toString().padStart(15, '0')}-${randomUUID()}.json`;
  await writeFile(join(inbox, `.${name}.tmp`), JSON.stringify(change), { mode: 0o600 });
  await rename(join(inbox, `.${name}.tmp`), join(inbox, name));
  return name;
}

/** The queued changes' names, oldest first. */
export async function queuedChanges(dataDir: string): Promise<string[]> {
  const names = await readdir(folder(dataDir, 'inbox')).catch(() => [] as string[]);
  return names.filter((name) => /^\d{15}-[0-9a-f-]{36}\.json$/.test(name)).sort();
}

export async function readQueuedChange(dataDir: string, name: string): Promise<DirectoryChange | undefined> {
  const parsed = directoryChangeSchema.safeParse(JSON.parse(await readFile(join(folder(dataDir, 'inbox'), name), 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

/** Moves an applied (or unreadable) change out of the inbox with what came of it. */
export async function recordApplied(dataDir: string, name: string, result: DirectoryResult | { refused: string }): Promise<void> {
  const applied = folder(dataDir, 'applied');
  await mkdir(applied, { recursive: true, mode: 0o700 });
  await writeFile(join(applied, `${name}.result.json`), JSON.stringify(result), { mode: 0o600 });
  await rename(join(folder(dataDir, 'inbox'), name), join(applied, name));
}

/** What the hub did with a change, once it has; undefined until then. */
export async function appliedResult(dataDir: string, name: string): Promise<DirectoryResult | { refused: string } | undefined> {
  try {
    return JSON.parse(await readFile(join(folder(dataDir, 'applied'), `${name}.result.json`), 'utf8')) as DirectoryResult | { refused: string };
  } catch {
    return undefined;
  }
}
