import { requirePermission } from '../../app/auth/roles';
import type { InterruptedExport, TransferResult } from '../../app/contract/data-api';
import type { ExportScope } from '../../app/fhir/export/export-scope';
import { readExportJournal, removeExportJournal, type ExportJournal } from './export-journal';
import { exportToMain, type ExportRequest, type ExportToMainResult } from './export-to-main';
import { lockedReason } from './fhir-export';
import { pushToServer, type PushResult, type PushWaiting } from './push-to-server';
import type { Session } from './session';
import type { StoreServices } from './store-services';
import { StoreError } from './store-error';
import type { HubApi } from './enrollment';
import { sendHl7Results, type Hl7Request, type Hl7Result } from './hl7-results';

/**
 * An admin's FHIR exports (to a folder) and pushes (to the FHIR server set in
 * Settings), one at a time on a workstation, with the way to stop one, and to
 * carry on or forget the one a restart interrupted (export-journal.ts).
 */
export interface FhirTransfers {
  /** StoreError `export_running` while another runs. */
  run(main: HubApi, request: ExportRequest, onProgress?: Progress): Promise<TransferResult>;
  push(main: HubApi, scope: ExportScope, onProgress?: Progress): Promise<TransferResult>;
  /** Carries on the export or push a restart interrupted (StoreError `not_found` when there is none). */
  resume(main: HubApi, onProgress?: Progress): Promise<TransferResult>;
  /** The export or push a restart interrupted, if any. */
  interrupted(): Promise<InterruptedExport | undefined>;
  /** Forgets the interrupted one (a folder stays, incomplete). */
  discard(): Promise<void>;
  /** Stops the running one between two pages, or while it waits for the server; nothing when none runs. */
  cancel(): void;
  /** The workstation locked: the running one stops and keeps its journal, to be carried on after the next admin login. */
  suspend(): void;
  /** The one running (started here or carried on by itself), how far it is, and while a push waits for the server, why and until when. */
  status(): TransferStatus;
  /**
   * Carries on by itself a push a restart interrupted, once an admin is
   * logged in (pushes wait for the link and survive restarts: a queue, not
   * a button). Nothing when none is interrupted or one runs; its failure
   * leaves the journal for the next try or for the export page.
   */
  resumePushInBackground(main: HubApi): void;
  /** Visits as HL7 v2 results, to a file or the lab's endpoint (hl7-results.ts); one transfer at a time with the others. */
  hl7(main: HubApi, request: Hl7Request, onProgress?: Progress): Promise<Hl7Result>;
  /** When the export or push a `changed` scope to that destination starts from began; undefined before the first. */
  changedSince(destination: 'folder' | 'server'): Promise<string | undefined>;
}

type Progress = (done: number, total: number) => void;

export interface TransferStatus {
  running?: { destination: 'folder' | 'server'; done: number; total: number };
  waiting?: PushWaiting;
}

export function createFhirTransfers(services: StoreServices, session: () => Session): FhirTransfers {
  let running: AbortController | undefined;
  let waiting: PushWaiting | undefined;
  let progress: TransferStatus['running'];
  const one = async <T>(destination: 'folder' | 'server', work: (signal: AbortSignal, onProgress: Progress) => Promise<T>, onProgress?: Progress): Promise<T> => {
    if (running) throw new StoreError('export_running', 'An export is already running.');
    running = new AbortController();
    progress = { destination, done: 0, total: 0 };
    try {
      return await work(running.signal, (done, total) => {
        progress = { destination, done, total };
        onProgress?.(done, total);
      });
    } finally {
      running = undefined;
      progress = undefined;
      waiting = undefined;
    }
  };
  const journal = () => {
    const by = session();
    requirePermission(by, 'export.run');
    return readExportJournal(services.local, by);
  };
  const toFolder = async (main: HubApi, from: { request: ExportRequest } | { journal: ExportJournal }, signal: AbortSignal, onProgress?: Progress) =>
    folderResult(await exportToMain(services.fhirExport, session(), main, services.local, { ...from, signal }, onProgress));
  const toServer = async (main: HubApi, from: { scope: ExportScope } | { journal: ExportJournal }, signal: AbortSignal, onProgress?: Progress) =>
    serverResult(await pushToServer(services.fhirExport, session(), main, services.local, { ...from, signal, onWaiting: (now) => (waiting = now) }, onProgress));
  return {
    run: (main, request, onProgress) => one('folder', (signal, progressed) => toFolder(main, { request }, signal, progressed), onProgress),
    push: (main, scope, onProgress) => one('server', (signal, progressed) => toServer(main, { scope }, signal, progressed), onProgress),
    async resume(main, onProgress) {
      const interrupted = await journal();
      if (!interrupted) throw new StoreError('not_found', 'There is no interrupted export to carry on.');
      const { kind } = interrupted.destination;
      return one(kind, (signal, progressed) => (kind === 'folder' ? toFolder(main, { journal: interrupted }, signal, progressed) : toServer(main, { journal: interrupted }, signal, progressed)), onProgress);
    },
    resumePushInBackground(main) {
      if (running) return;
      void journal()
        .then((interrupted) => (interrupted?.destination.kind === 'server' && !running ? one('server', (signal, progressed) => toServer(main, { journal: interrupted }, signal, progressed)) : undefined))
        .catch(() => undefined);
    },
    async interrupted() {
      // While one runs, its journal is not an interrupted one.
      const interrupted = running ? undefined : await journal();
      if (!interrupted) return undefined;
      const { destination } = interrupted;
      const where = destination.kind === 'folder' ? { destination: 'folder' as const, where: destination.folder, format: destination.format } : { destination: 'server' as const, where: destination.baseUrl, format: 'transaction' as const };
      return { ...where, scope: interrupted.scope.kind, startedAt: interrupted.startedAt, read: interrupted.point?.read ?? 0 };
    },
    async discard() {
      if (running) throw new StoreError('export_running', 'An export is running: stop it first.');
      requirePermission(session(), 'export.run');
      await removeExportJournal(services.local);
    },
    cancel: () => running?.abort(),
    suspend: () => running?.abort(lockedReason),
    status: () => ({ ...(progress ? { running: progress } : {}), ...(waiting ? { waiting } : {}) }),
    changedSince: (destination) => services.fhirExport.changedSince(session(), destination),
    hl7: (main, request, onProgress) => one(request.to === 'folder' ? 'folder' : 'server', (signal, progressed) => sendHl7Results(services, session(), main, request, { signal, onWaiting: (now) => (waiting = now) }, progressed), onProgress),
  };
}

const folderResult = (result: ExportToMainResult): TransferResult => ({ destination: 'folder', ...result });
const serverResult = ({ baseUrl, resources, patients, unreadable, outcome }: PushResult): TransferResult => ({
  destination: 'server',
  baseUrl,
  resources,
  patients,
  unreadable,
  transactions: outcome.transactions,
  stored: outcome.stored,
  refused: outcome.refused,
  issues: outcome.issues,
});
