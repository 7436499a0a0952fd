import { z } from 'zod';
import { exportScopeSchema } from '../../app/fhir/export/export-scope';
import { exportFormats, writerCheckpointSchema } from '../../app/fhir/export/export-sink';
import type { LocalState } from './local-state';

/**
 * Where a running export stands, kept in this workstation's own state at
 * each checkpoint (export-to-main.ts): the export's folder and request, the
 * last patient whose resources its files hold, its counts, the writer's
 * state and each file's size then. After a restart (the power failed, the
 * worker stopped) an admin resumes it: the files are cut back to those sizes
 * and the export carries on after that patient. Removed when the export
 * finishes or is stopped. It names no one: ids are random, and device and
 * workstation ids are FHIR ids derived from them.
 */

const count = z.number().int().nonnegative();
const id = z.string().min(1).max(100);

export const exportResumePointSchema = z
  .object({
    /** The last patient id the files hold (patients go in the order of their ids). */
    after: id,
    /** Patients read so far (the progress bar), exported and left out. */
    read: count,
    patients: count,
    unreadable: count,
    writer: writerCheckpointSchema,
    /** The Device resources already written: reading devices and workstations, by id. */
    devices: z.array(id),
    workstations: z.array(id),
  })
  .strict();
export type ExportResumePoint = z.infer<typeof exportResumePointSchema>;

export const exportJournalSchema = z
  .object({
    exportId: id,
    folder: z.string().max(4096),
    format: z.enum(exportFormats),
    scope: exportScopeSchema,
    startedAt: z.iso.datetime({ offset: true }),
    /** Set from the first checkpoint on; before it, there is nothing to resume from. */
    point: exportResumePointSchema.optional(),
    /** Each file's size in bytes at the point. */
    sizes: z.record(z.string().max(80), count),
  })
  .strict();
export type ExportJournal = z.infer<typeof exportJournalSchema>;

const journalId = 'fhir-export-journal';

export async function readExportJournal(local: LocalState): Promise<ExportJournal | undefined> {
  const text = await local.get(journalId);
  if (text === undefined) return undefined;
  let parsed;
  try {
    parsed = exportJournalSchema.safeParse(JSON.parse(text));
  } catch {
    return undefined;
  }
  // A journal that is not in its form cannot be resumed from: the export is started again.
  return parsed.success ? parsed.data : undefined;
}

export const saveExportJournal = (local: LocalState, journal: ExportJournal): Promise<void> => local.put(journalId, JSON.stringify(journal));
export const removeExportJournal = (local: LocalState): Promise<void> => local.remove(journalId);
