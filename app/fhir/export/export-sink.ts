import type { Resource } from '@medplum/fhirtypes';
import { z } from 'zod';

/**
 * Where an export's files go: the main process's export folder in the app,
 * a folder on disk for `clinic-fhir sample`. Names are plain file names
 * (`Observation.ndjson`, `bundle-0001.json`, `manifest.json`); text is
 * appended in the order given.
 */
export interface ExportSink {
  append(file: string, text: string): Promise<void>;
  /** Sends on whatever the sink still holds; the writer's `finish` ends with it. */
  flush(): Promise<void>;
}

/** The formats an export is written in (the export screen and `clinic-fhir sample --format` offer these). */
export const exportFormats = ['ndjson', 'transaction', 'collection'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Takes resources in order and writes them in one format; `finish` writes what is held and names the files written. */
export interface ExportWriter {
  /** `mark` names the caller's position after this batch (an export's last patient), for the writer's checkpoints (`CheckpointHook`). */
  add(resources: readonly Resource[], mark?: string): Promise<void>;
  finish(): Promise<{ files: string[]; resources: number }>;
}

const count = z.number().int().nonnegative();
const fileName = z.string().max(80);

/** A writer's checkpoint, kept in the workstation's state between an export's pages and read back to resume. */
export const writerCheckpointSchema = z.discriminatedUnion('writer', [
  z
    .object({
      writer: z.literal('ndjson'),
      resources: count,
      /** Each resource type's file being written: its part number, length so far (characters) and lines. */
      open: z.record(z.string().max(64), z.object({ part: count, chars: count, count }).strict()),
      /** Files already full, in the order they were closed. */
      written: z.array(z.object({ type: z.string().max(64), file: fileName, count }).strict()),
    })
    .strict(),
  z.object({ writer: z.literal('bundle'), resources: count, files: z.array(fileName) }).strict(),
]);
export type WriterCheckpoint = z.infer<typeof writerCheckpointSchema>;

/**
 * Told of each checkpoint as the writer reaches it, before it writes on: a
 * point at which everything added had gone to the sink, with the mark of the
 * batch it followed, from which an export interrupted later carries on (its
 * files cut back to the sink's sizes then). A Bundle writer reaches one as
 * it ends a file, then may send further files of the same batch, and a
 * failure there must not lose the checkpoint.
 */
export type CheckpointHook = (checkpoint: { mark: string; state: WriterCheckpoint }) => Promise<void>;

/** The NDJSON file a type's part is written to: `Patient.ndjson`, `Patient.2.ndjson`, … */
export const ndjsonFileName = (type: string, part: number): string => (part === 1 ? `${type}.ndjson` : `${type}.${part}.ndjson`);

/** The files a checkpoint's state covers: an export resumed from it keeps these (cut back to their sizes then) and no other. */
export function checkpointFiles(state: WriterCheckpoint): string[] {
  if (state.writer === 'bundle') return state.files;
  return [...state.written.map((entry) => entry.file), ...Object.entries(state.open).map(([type, file]) => ndjsonFileName(type, file.part))];
}
