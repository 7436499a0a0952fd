import { z } from 'zod';
import type { LocalState } from './local-state';
import { sealedLocalEntry } from './sealed-local-entry';
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

const journal = sealedLocalEntry('fhir-import-journal', importJournalSchema, 'The import journal');

/** One that does not open says nothing true: the next import starts afresh, and skips what is stored anyway. */
export const readImportJournal = (local: LocalState, session: Session): Promise<ImportJournal | undefined> => journal.read(local, session);
export const saveImportJournal = (local: LocalState, session: Session, value: ImportJournal): Promise<void> => journal.save(local, session, value);
export const removeImportJournal = (local: LocalState): Promise<void> => journal.remove(local);
