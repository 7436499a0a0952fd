import { requirePermission } from '../../app/auth/roles';
import type { ApiClient } from '../../app/contract/client';
import type { FhirIssue } from '../../app/contract/fhir-server';
import type { ExportScope } from '../../app/fhir/export/export-scope';
import type { ExportSink, WriterCheckpoint } from '../../app/fhir/export/export-sink';
import { maxIssuesKept, saveExportJournal, type ExportJournal, type PushOutcome } from './export-journal';
import type { FhirExporter, FhirExportResult } from './fhir-export';
import { runJournaled } from './journaled-export';
import type { LocalState } from './local-state';
import type { Session } from './session';
import { StoreError } from './store-error';
import { reachWaits, untilReachable, type LinkWaiting } from './until-reachable';

type MainApi = Pick<ApiClient, 'call'>;

/**
 * A push of the clinic's records to the FHIR server set in Settings: the
 * export's own reading and mapping (fhir-export.ts), written as transaction
 * Bundles of at most 50 PUTs at the resources' own ids, each sent through the
 * main process (which adds the credentials) as it is made. While the server
 * cannot be reached the push waits and tries again, longer each time; a
 * transaction the server refuses is counted with what the server said, and
 * the push goes on. Journaled like an export (journaled-export.ts), so a
 * push interrupted by a restart is carried on; sending a transaction again
 * changes nothing on the server.
 */

/** Entries per transaction: the most updates Medplum's server (and HAPI's default) takes in one. */
export const pushEntriesPerTransaction = 50;


export interface PushResult extends FhirExportResult {
  baseUrl: string;
  outcome: PushOutcome;
}

/** What a waiting push says on the screen. */
export type PushWaiting = LinkWaiting;

export interface PushStatus {
  waiting(): PushWaiting | undefined;
}

export const noOutcome = (): PushOutcome => ({ transactions: 0, stored: 0, refused: 0, issues: [] });

/**
 * An ExportSink that sends each Bundle appended (the Bundle writer appends
 * one whole Bundle per file) as one transaction. `outcomeAfter(file)` is what
 * the server had answered once that file's transaction was answered, for a
 * checkpoint to keep.
 */
export function createServerPushSink(main: MainApi, start: PushOutcome, signal: AbortSignal, onWaiting: (waiting: PushWaiting | undefined) => void, waits = reachWaits) {
  let outcome: PushOutcome = structuredClone(start);
  const after = new Map<string, PushOutcome>();
  const send = (bundle: string) => untilReachable(() => main.call('fhirServer.transaction', { bundle }), signal, onWaiting, waits);
  const sink: ExportSink & { outcomeAfter(file: string): PushOutcome | undefined } = {
    async append(file, text) {
      const answer = await send(text);
      const entries = entryNames(text);
      const next = { ...outcome, transactions: outcome.transactions + 1 };
      if (answer.stored) next.stored += entries.length;
      else {
        next.refused += entries.length;
        next.issues = [...outcome.issues, ...answer.issues.map((issue) => refusedResource(issue, entries))].slice(0, maxIssuesKept);
      }
      outcome = next;
      after.set(file, next);
    },
    flush: () => Promise.resolve(),
    outcomeAfter: (file) => after.get(file),
  };
  return { sink, outcome: () => outcome };
}

/** `Observation/abc` for each entry of a Bundle's text, in order. */
function entryNames(bundle: string): string[] {
  const parsed = JSON.parse(bundle) as { entry?: { resource?: { resourceType?: string; id?: string } }[] };
  return (parsed.entry ?? []).map((entry) => `${entry.resource?.resourceType ?? 'Resource'}/${entry.resource?.id ?? ''}`);
}

/** The resource an issue names by its entry (`Bundle.entry[3]…`); the whole transaction when it names none. */
function refusedResource(issue: FhirIssue, entries: readonly string[]): PushOutcome['issues'][number] {
  const index = /^Bundle\.entry\[(\d+)\]/.exec(issue.expression ?? '')?.[1];
  const resource = index === undefined ? `a transaction of ${entries.length}` : (entries[Number(index)] ?? `entry ${index}`);
  return { resource, text: issue.text, ...(issue.expression ? { expression: issue.expression } : {}) };
}

/** Runs a push of `scope` to the server set in Settings, or carries on the interrupted one `journal` describes. */
export async function pushToServer(
  exporter: FhirExporter,
  session: Session,
  main: MainApi,
  local: LocalState,
  options: ({ scope: ExportScope } | { journal: ExportJournal }) & { signal: AbortSignal; onWaiting: (waiting: PushWaiting | undefined) => void },
  onProgress?: (done: number, total: number) => void,
): Promise<PushResult> {
  requirePermission(session, 'export.run');
  const journal = 'journal' in options ? options.journal : await startJournal(main, local, session, options.scope);
  const { destination } = journal;
  if (destination.kind !== 'server') throw new Error('not a push to a server');
  const push = createServerPushSink(main, destination.outcome, options.signal, options.onWaiting);
  const destinationAt = (point: { writer: WriterCheckpoint }) => {
    // The last transaction the checkpoint covers, and what the server had answered by then (later ones are sent again).
    const files = point.writer.writer === 'bundle' ? point.writer.files : [];
    return { ...destination, outcome: push.sink.outcomeAfter(files.at(-1) ?? '') ?? destination.outcome };
  };
  try {
    const result = await runJournaled({ exporter, session, local, journal, sink: push.sink, format: 'transaction', maxBundleEntries: pushEntriesPerTransaction, destinationAt, signal: options.signal }, onProgress);
    return { ...result, baseUrl: destination.baseUrl, outcome: push.outcome() };
  } finally {
    options.onWaiting(undefined);
  }
}

/** The server as Settings has it, and the push's journal before anything is sent. */
async function startJournal(main: MainApi, local: LocalState, session: Session, scope: ExportScope): Promise<ExportJournal> {
  const server = await main.call('fhirServer.get', {});
  if (!server.configured) throw new StoreError('not_found', 'No FHIR server is set. An admin sets one in Settings.');
  const journal: ExportJournal = { destination: { kind: 'server', baseUrl: server.baseUrl, outcome: noOutcome() }, scope, startedAt: new Date().toISOString() };
  await saveExportJournal(local, session, journal);
  return journal;
}
