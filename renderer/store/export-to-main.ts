import { requirePermission } from '../../app/auth/roles';
import { maxExportChunkChars } from '../../app/contract/api';
import type { ApiClient } from '../../app/contract/client';
import type { ExportScope } from '../../app/fhir/export/export-scope';
import { checkpointFiles, type ExportFormat, type ExportSink } from '../../app/fhir/export/export-sink';
import { saveExportJournal, type ExportJournal, type ExportResumePoint } from './export-journal';
import type { FhirExporter, FhirExportResult } from './fhir-export';
import type { LocalState } from './local-state';
import type { Session } from './session';
import { runJournaled } from './journaled-export';

type MainApi = Pick<ApiClient, 'call'>;

/** Text held per file before it is sent: a few hundred requests for a large export, little held in the worker. */
const sendAtChars = 512 * 1024;

/** Where a part of `text` may end: never between the two halves of a character outside the BMP. */
function cutAt(text: string, at: number): number {
  if (at >= text.length) return text.length;
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** An ExportSink that says how far each file has been written (confirmed by the main process). */
export interface MainExportSink extends ExportSink {
  /** Each file's size in bytes as the main process last confirmed it. */
  sizes(): Record<string, number>;
}

/**
 * An ExportSink writing into the main process's export folder: text is held
 * per file and sent in parts, each from the byte the main process last
 * confirmed, so a part sent again (an answer lost) is rewritten, not doubled.
 * A resumed export starts from the sizes its journal recorded.
 */
export function createMainExportSink(main: MainApi, exportId: string, from: Record<string, number> = {}): MainExportSink {
  const pending = new Map<string, string>();
  const sizes = new Map<string, number>(Object.entries(from));
  const send = async (file: string) => {
    let text = pending.get(file) ?? '';
    pending.delete(file);
    while (text.length > 0) {
      const end = cutAt(text, maxExportChunkChars);
      const { size } = await main.call('export.append', { exportId, file, offset: sizes.get(file) ?? 0, text: text.slice(0, end) });
      sizes.set(file, size);
      text = text.slice(end);
    }
  };
  return {
    async append(file, text) {
      const held = (pending.get(file) ?? '') + text;
      pending.set(file, held);
      if (held.length >= sendAtChars) await send(file);
    },
    async flush() {
      for (const file of [...pending.keys()]) await send(file);
    },
    sizes: () => Object.fromEntries(sizes),
  };
}

export interface ExportToMainResult extends FhirExportResult {
  exportId: string;
  /** Where the files are, to show the admin. */
  folder: string;
}

/** What an admin asks for: the format, and which patients and visits. */
export interface ExportRequest {
  format: ExportFormat;
  scope: ExportScope;
}

/**
 * Runs an export into a new folder of the main process's, or carries on the
 * interrupted one `journal` describes (its files cut back to the journal's
 * checkpoint first).
 */
export async function exportToMain(
  exporter: FhirExporter,
  session: Session,
  main: MainApi,
  local: LocalState,
  options: ({ request: ExportRequest } | { journal: ExportJournal }) & { signal: AbortSignal },
  onProgress?: (done: number, total: number) => void,
): Promise<ExportToMainResult> {
  // Checked again where the data is read; here so a refused export leaves no empty folder behind.
  requirePermission(session, 'export.run');
  const journal = 'journal' in options ? options.journal : await startJournal(main, local, session, options.request);
  const { destination } = journal;
  if (destination.kind !== 'folder') throw new Error('not an export to a folder');
  if ('journal' in options) await main.call('export.rewind', { exportId: destination.exportId, sizes: destination.sizes });
  const sink = createMainExportSink(main, destination.exportId, destination.sizes);
  const destinationAt = (point: ExportResumePoint) => {
    const sizes = sink.sizes();
    // Only the files the checkpoint covers: a Bundle begun after it is not one to keep.
    return { ...destination, sizes: Object.fromEntries(checkpointFiles(point.writer).map((file) => [file, sizes[file] ?? 0])) };
  };
  const result = await runJournaled({ exporter, session, local, journal, sink, format: destination.format, destinationAt, signal: options.signal }, onProgress);
  return { exportId: destination.exportId, folder: destination.folder, ...result };
}

/** A new folder, and its journal before anything is written: an export interrupted before its first checkpoint is started again. */
async function startJournal(main: MainApi, local: LocalState, session: Session, request: ExportRequest): Promise<ExportJournal> {
  const { exportId, folder } = await main.call('export.open', { format: request.format });
  const journal: ExportJournal = { destination: { kind: 'folder', exportId, folder, format: request.format, sizes: {} }, scope: request.scope, startedAt: new Date().toISOString() };
  await saveExportJournal(local, session, journal);
  return journal;
}
