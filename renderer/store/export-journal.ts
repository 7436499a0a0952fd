import { z } from 'zod';
import { exportScopeSchema } from '../../app/fhir/export/export-scope';
import { exportFormats, writerCheckpointSchema } from '../../app/fhir/export/export-sink';
import type { LocalState } from './local-state';
import { sealedLocalEntry } from './sealed-local-entry';
import type { Session } from './session';

/**
 * Where a running export or push stands, kept in this workstation's own
 * state at each checkpoint (journaled-export.ts): where it goes (a folder,
 * with each file's size then, or the FHIR server, with what it answered so
 * far), its scope, the last patient it has written or sent, its counts and
 * the writer's state. After a restart (the power failed, the worker stopped)
 * an admin carries it on: a folder's files are cut back to those sizes, and
 * the export goes on after that patient (a push sends again what the server
 * had not confirmed; its PUTs make that harmless). Removed when it finishes
 * or is stopped. It names no one: ids are random, device and workstation ids
 * are FHIR ids derived from them, and it is sealed with the clinic's key,
 * as a server's words about a refused resource may quote patient data.
 */

const count = z.number().int().nonnegative();

/** The most problems a push keeps to show (the count of refused resources is kept whole). */
export const maxIssuesKept = 50;
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
    /** The shared resources already written once: reading devices and workstations by id, referral destinations as `Location/<id>`. */
    devices: z.array(id),
    workstations: z.array(id),
  })
  .strict();
export type ExportResumePoint = z.infer<typeof exportResumePointSchema>;

/** What a push has heard from the server so far: carried over a restart, so its result counts the whole push. */
export const pushOutcomeSchema = z
  .object({
    transactions: count,
    /** Resources in transactions the server stored, and in those it refused. */
    stored: count,
    refused: count,
    /** The first problems the server reported, for the admin to read. */
    issues: z.array(z.object({ resource: z.string().max(200), text: z.string().max(2000), expression: z.string().max(500).optional() }).strict()).max(maxIssuesKept),
  })
  .strict();
export type PushOutcome = z.infer<typeof pushOutcomeSchema>;

export const exportJournalSchema = z
  .object({
    /** A folder of the main process's, or the FHIR server set in Settings. */
    destination: z.discriminatedUnion('kind', [
      z
        .object({
          kind: z.literal('folder'),
          exportId: id,
          folder: z.string().max(4096),
          format: z.enum(exportFormats),
          /** Each file's size in bytes at the point. */
          sizes: z.record(z.string().max(80), count),
        })
        .strict(),
      z.object({ kind: z.literal('server'), baseUrl: z.string().max(500), outcome: pushOutcomeSchema }).strict(),
    ]),
    scope: exportScopeSchema,
    startedAt: z.iso.datetime({ offset: true }),
    /** Set from the first checkpoint on; before it, there is nothing to resume from. */
    point: exportResumePointSchema.optional(),
  })
  .strict();
export type ExportJournal = z.infer<typeof exportJournalSchema>;

/** Sealed with the clinic's data key: a server's words about a refused resource may quote patient data. */
const journal = sealedLocalEntry('fhir-export-journal', exportJournalSchema, 'The export journal');

/** A journal that does not open or is not in its form cannot be resumed from: the export is started again. */
export const readExportJournal = (local: LocalState, session: Session): Promise<ExportJournal | undefined> => journal.read(local, session);
export const saveExportJournal = (local: LocalState, session: Session, value: ExportJournal): Promise<void> => journal.save(local, session, value);
export const removeExportJournal = (local: LocalState): Promise<void> => journal.remove(local);
