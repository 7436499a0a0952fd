import { isFacilityCapability } from '../../../app/facilities/capabilities';
import { appliedResult, queueDirectoryChange, type DirectoryChange, type DirectoryResult } from './directory-changes';
import { readDirectoryFile } from './directory-files';

/**
 * The operator's directory commands (`npm run hub -- admin directory-…`):
 * each checks its input, queues the change for the hub (directory-changes.ts)
 * and waits a while for the hub to apply it, so the operator sees what came of
 * it, or that the hub is not running and will apply it when it starts.
 */

export class DirectoryCommandError extends Error {
  override name = 'DirectoryCommandError';
}

/** How long a command waits for a running hub to apply its change. */
const waitMs = 30_000;

async function queueAndWait(dataDir: string, change: DirectoryChange): Promise<{ applied: DirectoryResult } | { refused: string } | { queued: string }> {
  const name = await queueDirectoryChange(dataDir, change);
  for (const started = Date.now(); Date.now() - started < waitMs; ) {
    const result = await appliedResult(dataDir, name);
    if (result && 'refused' in result) return result;
    if (result) return { applied: result };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { queued: 'The hub did not apply the change within 30 seconds (is it running?); it applies it when it next starts.' };
}

export async function directoryImportCommand(dataDir: string, file: string | undefined, now: Date): Promise<Record<string, unknown>> {
  if (!file) throw new DirectoryCommandError('Give the file to import with --file (an OSM .pbf extract, a healthsites.io .csv or .geojson, or a FHIR Bundle .json).');
  const read = await readDirectoryFile(file, now.toISOString());
  if (read.entries.length === 0) throw new DirectoryCommandError(`The file holds no facility that can be imported${read.skipped.length > 0 ? ` (${read.skipped.length} skipped: ${read.skipped.slice(0, 3).join('; ')})` : ''}.`);
  const outcome = await queueAndWait(dataDir, { kind: 'upsert', source: `${read.format} ${file}`, entries: read.entries });
  return { format: read.format, facilities: read.entries.length, skipped: read.skipped.length, firstSkipped: read.skipped.slice(0, 20), ...outcome };
}

export async function directorySetCommand(dataDir: string, input: { facility?: string | undefined; capability?: string | undefined; available?: string | undefined; by?: string | undefined }, now: Date): Promise<Record<string, unknown>> {
  const { facility, capability, available, by } = input;
  if (!facility) throw new DirectoryCommandError('Name the facility with --facility <directory id> (fac-…).');
  if (!isFacilityCapability(capability)) throw new DirectoryCommandError('Name the capability with --capability (emergency, bemonc, cemonc, surgery, oxygen, blood-bank, laboratory, x-ray or paediatrics).');
  if (available !== 'yes' && available !== 'no') throw new DirectoryCommandError('Say whether it is available with --available yes or --available no.');
  if (!by || by.trim() === '' || by.length > 300) throw new DirectoryCommandError('Say who confirmed it with --by (a name, at most 300 characters).');
  const outcome = await queueAndWait(dataDir, { kind: 'set-capability', id: facility, capability, available: available === 'yes', confirmedBy: by.trim(), confirmedAt: now.toISOString() });
  if ('applied' in outcome && outcome.applied.unknown.length > 0) throw new DirectoryCommandError(`The directory has no facility ${facility}.`);
  return outcome;
}

export async function directoryRemoveCommand(dataDir: string, facility: string | undefined): Promise<Record<string, unknown>> {
  if (!facility) throw new DirectoryCommandError('Name the facility with --facility <directory id> (fac-…).');
  const outcome = await queueAndWait(dataDir, { kind: 'remove', id: facility });
  if ('applied' in outcome && outcome.applied.unknown.length > 0) throw new DirectoryCommandError(`The directory has no facility ${facility}.`);
  return outcome;
}
