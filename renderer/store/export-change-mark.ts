import type { RxStorageDefaultCheckpoint } from 'rxdb';
import { z } from 'zod';
import type { LocalState } from './local-state';

/**
 * Where the next "changed since the last export" starts: a point in this
 * workstation's change feed (RxDB's checkpoint: a record's local write time
 * and id), not a record's `updatedAt`, which is the time on the workstation
 * that wrote it and says nothing of when it arrived here. Kept in this
 * workstation's own state, never replicated: another workstation's exports
 * are not this one's. The write times are this workstation's clock: RxDB
 * keeps them rising while the app runs, but a clock set back between two
 * runs would hide the records written meanwhile from a changed-since
 * export (a whole-clinic export still takes them).
 */
export interface ChangeMark {
  checkpoint: RxStorageDefaultCheckpoint;
  /** When the export that set it started, to show the admin. */
  exportStartedAt: string;
}

/** Where exports go, each with its own mark: a push to the district's server is not a file handed over, nor the other way round. */
export type MarkedDestination = 'folder' | 'server';
const markId = (destination: MarkedDestination) => (destination === 'folder' ? 'fhir-export-change-mark' : 'fhir-push-change-mark');

/**
 * The mark is set back this far from the export's start: RxDB gives a write
 * its time a moment before the write reaches IndexedDB, so a record being
 * written as the export began could carry a time before it and yet be read
 * by neither export. Exporting a few patients twice is harmless (resources
 * keep their ids); missing one is not.
 */
const inFlightMarginMs = 10_000;

const markSchema = z.object({ checkpoint: z.object({ id: z.string(), lwt: z.number() }).strict(), exportStartedAt: z.iso.datetime({ offset: true }) }).strict();

export async function readChangeMark(local: LocalState, destination: MarkedDestination): Promise<ChangeMark | undefined> {
  const text = await local.get(markId(destination));
  if (text === undefined) return undefined;
  try {
    return markSchema.parse(JSON.parse(text));
  } catch {
    // A damaged mark means the next changed-since export takes everything: more than needed, nothing missed.
    return undefined;
  }
}

/** After an export that took every change (export-scope.ts `movesChangeMark`) finished. */
export async function saveChangeMark(local: LocalState, destination: MarkedDestination, exportStartedAt: string): Promise<void> {
  const mark: ChangeMark = { checkpoint: { id: '', lwt: Date.parse(exportStartedAt) - inFlightMarginMs }, exportStartedAt };
  await local.put(markId(destination), JSON.stringify(mark));
}
