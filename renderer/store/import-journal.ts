import { z } from 'zod';
import { openPayload, sealPayload } from '../../app/crypto/seal';
import type { LocalState } from './local-state';
import type { Session } from './session';

/**
 * An import being written, kept in this workstation's own state while it
 * writes: which files, how many records it had to write and how many it had
 * written at the last batch. After a restart the import page says so, and
 * choosing the same files again carries it on: records already written are
 * found unchanged and skipped (their ids are stable), so nothing is written
 * twice. Removed when the import finishes. Sealed with the clinic's key:
 * a file's name may name a patient.
 */

const count = z.number().int().nonnegative();

export const importFileSchema = z.object({ name: z.string().min(1).max(255), size: count }).strict();
export type ImportFile = z.infer<typeof importFileSchema>;

export const importJournalSchema = z
  .object({
    files: z.array(importFileSchema).min(1).max(1000),
    startedAt: z.iso.datetime({ offset: true }),
    /** Records (patients, readings, visits) it had to write, and had written. */
    total: count,
    written: count,
  })
  .strict();
export type ImportJournal = z.infer<typeof importJournalSchema>;

const journalId = 'fhir-import-journal';
const context = (session: Session) => ['fhir-import-journal', session.clinicId];

export async function readImportJournal(local: LocalState, session: Session): Promise<ImportJournal | undefined> {
  const sealed = await local.get(journalId);
  if (sealed === undefined) return undefined;
  try {
    return importJournalSchema.parse(await openPayload(session.dataKey, context(session), sealed, 'The import journal'));
  } catch {
    // One that does not open says nothing true: the next import starts afresh, and skips what is stored anyway.
    return undefined;
  }
}

export async function saveImportJournal(local: LocalState, session: Session, journal: ImportJournal): Promise<void> {
  await local.put(journalId, await sealPayload(session.dataKey, context(session), journal));
}

export const removeImportJournal = (local: LocalState): Promise<void> => local.remove(journalId);
