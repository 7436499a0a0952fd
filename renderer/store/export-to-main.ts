import { requirePermission } from '../../app/auth/roles';
import { maxExportChunkChars } from '../../app/contract/api';
import type { ApiClient } from '../../app/contract/client';
import type { ExportFormat, ExportSink } from '../../app/fhir/export/export-sink';
import type { FhirExporter, FhirExportResult } from './fhir-export';
import type { Session } from './session';

type MainApi = Pick<ApiClient, 'call'>;

/** Text held per file before it is sent: a few hundred requests for a large export, little held in the worker. */
const sendAtChars = 512 * 1024;

/** Where a part of `text` may end: never between the two halves of a character outside the BMP. */
function cutAt(text: string, at: number): number {
  if (at >= text.length) return text.length;
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/**
 * An ExportSink writing into the main process's export folder: text is held
 * per file and sent in parts, each from the byte the main process last
 * confirmed, so a part sent again (an answer lost) is rewritten, not doubled.
 */
export function createMainExportSink(main: MainApi, exportId: string): ExportSink {
  const pending = new Map<string, string>();
  const sizes = new Map<string, number>();
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
  };
}

export interface ExportToMainResult extends FhirExportResult {
  exportId: string;
  /** Where the files are, to show the admin. */
  folder: string;
}

/** Runs the whole-clinic export into a new folder of the main process's. */
export async function exportToMain(
  exporter: FhirExporter,
  session: Session,
  main: MainApi,
  options: { format: ExportFormat; signal?: AbortSignal },
  onProgress?: (done: number, total: number) => void,
): Promise<ExportToMainResult> {
  // Checked again where the data is read; here so a refused export leaves no empty folder behind.
  requirePermission(session, 'export.run');
  const { exportId, folder } = await main.call('export.open', { format: options.format });
  const run = { format: options.format, startedAt: new Date().toISOString(), ...(options.signal ? { signal: options.signal } : {}) };
  return { exportId, folder, ...(await exporter.run(session, run, createMainExportSink(main, exportId), onProgress)) };
}
