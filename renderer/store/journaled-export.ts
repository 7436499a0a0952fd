import type { ExportFormat, ExportSink } from '../../app/fhir/export/export-sink';
import { removeExportJournal, saveExportJournal, type ExportJournal, type ExportResumePoint } from './export-journal';
import type { FhirExporter, FhirExportResult } from './fhir-export';
import type { LocalState } from './local-state';
import type { Session } from './session';
import { StoreError } from './store-error';

/**
 * Runs an export or a push (fhir-export.ts) with its journal kept at its
 * checkpoints (export-journal.ts), started or carried on from `journal`:
 * at a checkpoint the sink sends everything it holds, then the journal is
 * saved with the destination as it stands at that point. The journal goes
 * when the run finishes or is stopped; any other failure leaves it, to
 * carry on from.
 */
export interface JournaledRun {
  exporter: FhirExporter;
  session: Session;
  local: LocalState;
  journal: ExportJournal;
  sink: ExportSink;
  format: ExportFormat;
  /** A push sends transactions the server takes whole (50 updates at most on Medplum's and HAPI's defaults). */
  maxBundleEntries?: number;
  /** The destination as the journal keeps it at `point`, once the sink has sent everything before it. */
  destinationAt(point: ExportResumePoint): ExportJournal['destination'];
  signal: AbortSignal;
}

/** At most this often the sink is brought up to a checkpoint and the journal saved: each save sends what the sink holds. */
const journalEveryMs = 5_000;

export async function runJournaled(run: JournaledRun, onProgress?: (done: number, total: number) => void): Promise<FhirExportResult> {
  const { journal, session, local } = run;
  // The first checkpoint is always kept; then at most one every few seconds.
  let savedAt = Number.NEGATIVE_INFINITY;
  const onCheckpoint = async (point: ExportResumePoint) => {
    if (Date.now() - savedAt < journalEveryMs) return;
    await run.sink.flush();
    await saveExportJournal(local, session, { ...journal, point, destination: run.destinationAt(point) });
    savedAt = Date.now();
  };
  const options = {
    format: run.format,
    destination: journal.destination.kind,
    scope: journal.scope,
    startedAt: journal.startedAt,
    signal: run.signal,
    onCheckpoint,
    ...(journal.point ? { resume: journal.point } : {}),
    ...(run.maxBundleEntries ? { maxBundleEntries: run.maxBundleEntries } : {}),
  };
  try {
    const result = await run.exporter.run(session, options, run.sink, onProgress);
    await removeExportJournal(local);
    return result;
  } catch (error) {
    if (error instanceof StoreError && error.code === 'export_cancelled') await removeExportJournal(local);
    throw error;
  }
}
