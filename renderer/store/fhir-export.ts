import type { Resource } from '@medplum/fhirtypes';
import { requirePermission } from '../../app/auth/roles';
import { createBundleExport } from '../../app/fhir/export/bundle-export';
import { clinicResources, readingDevices, workstationDevice, type ClinicReferences } from '../../app/fhir/export/clinic-resources';
import { movesChangeMark, type ExportScope } from '../../app/fhir/export/export-scope';
import type { CheckpointHook, ExportFormat, ExportSink, ExportWriter, WriterCheckpoint } from '../../app/fhir/export/export-sink';
import { createNdjsonExport } from '../../app/fhir/export/ndjson-export';
import { patientResources } from '../../app/fhir/export/patient-resources';
import { referralDestinations } from '../../app/fhir/export/referral-resources';
import type { SealedRecord } from '../../app/records/sealed-record';
import { giveWay } from '../../app/scheduling/give-way';
import type { Visit } from '../../app/visits/visit';
import type { AuditLog } from './audit-log';
import type { ClinicDatabase } from './database';
import { readChangeMark, saveChangeMark, type MarkedDestination } from './export-change-mark';
import type { ExportResumePoint } from './export-journal';
import { pageReader } from './export-page-reader';
import { patientPages } from './export-patient-pages';
import type { LocalState } from './local-state';
import type { Keyring } from './keyring';
import type { Session } from './session';
import { StoreError } from './store-error';
import type { WorkstationDirectory } from './workstations';

/**
 * An administrator's FHIR export, read from the store in the data worker: the
 * clinic's shared resources, then the patients in the export's scope a page
 * at a time (export-patient-pages.ts), each with their visits and readings,
 * decrypted and mapped by app/fhir/export and written to `sink` (the main
 * process's files). Records that do not open are counted, never exported
 * half-read and never a reason to stop. The role is checked here, where the
 * data is read; the export is audited with its counts.
 */

export interface FhirExportResult {
  files: string[];
  resources: number;
  patients: number;
  /** Records that did not open or were not in their type's form: left out. */
  unreadable: number;
}

export interface FhirExportOptions {
  format: ExportFormat;
  /** Where it goes: files, or the FHIR server set in Settings (for the audit entry, and each has its own "changed since" mark). */
  destination: MarkedDestination;
  scope: ExportScope;
  startedAt: string;
  /** Stops between two pages, or while the sink waits, when aborted (StoreError `export_cancelled`), after auditing what was read. */
  signal?: AbortSignal;
  /** Entries per Bundle (a transaction pushed to a server); the Bundle writer's own limit otherwise. */
  maxBundleEntries?: number;
  /** Carries on an interrupted export: its files are already cut back to this point. */
  resume?: ExportResumePoint;
  /** Told each new point an interrupted export could carry on from (export-journal.ts), once everything before it is in the sink. */
  onCheckpoint?: (point: ExportResumePoint) => Promise<void>;
}

export interface FhirExporter {
  run(session: Session, options: FhirExportOptions, sink: ExportSink, onProgress?: (done: number, total: number) => void): Promise<FhirExportResult>;
  /** When the export the next `changed` scope starts from began; undefined before the first. */
  changedSince(session: Session, destination: MarkedDestination): Promise<string | undefined>;
}

/**
 * The reason an export's signal carries when the workstation locks: the key
 * it decrypts with goes with the session, so the export stops, and its
 * journal stays for it to be carried on (a push by itself) after the next
 * admin login.
 */
export const lockedReason = 'locked';

interface ExportParts {
  keyring: Keyring;
  audit: AuditLog;
  workstations: WorkstationDirectory;
  local: LocalState;
}

export function createFhirExporter(db: ClinicDatabase, parts: ExportParts): FhirExporter {
  return {
    async run(session, options, sink, onProgress) {
      requirePermission(session, 'export.run');
      const { resume } = options;
      const audited = { destination: options.destination, scope: options.scope.kind };
      const counts = { patients: resume?.patients ?? 0, unreadable: resume?.unreadable ?? 0 };
      const checkpoints = checkpointsOf(options.onCheckpoint, resume?.after);
      const writer = writerFor(sink, options, resume?.writer, (checkpoint) => checkpoints.report(checkpoint));
      const clinic = await sharedPart(session, parts);
      if (resume) {
        // Its files hold the clinic's resources already, with the workstations known then (others may have been named since).
        clinic.workstationIds.clear();
        for (const workstationId of resume.workstations) clinic.workstationIds.add(workstationId);
      } else {
        await writer.add(clinic.resources);
      }
      const { total, pages } = await patientPages(db, options.scope, await readChangeMark(parts.local, options.destination), resume?.after);
      const stopped = async () => {
        // The patients read so far were decrypted for an export: that is audited, as stopped or as suspended by a lock.
        const locked = options.signal?.reason === lockedReason;
        await parts.audit.record(session, { kind: 'export.fhir', outcome: 'minor-failure', detail: { ...counts, ...audited, ...(locked ? { suspended: 1 } : { stopped: 1 }) } });
        return locked ? new StoreError('locked', 'The workstation locked: the export stops until an admin logs in again.') : new StoreError('export_cancelled', 'The export was stopped by an administrator.');
      };
      const stopIfCancelled = async () => {
        if (options.signal?.aborted) throw await stopped();
      };
      const mapper = pageMapper(db, session, options.scope, clinic, counts, resume?.devices ?? []);
      let read = resume?.read ?? 0;
      onProgress?.(Math.min(read, total), total);
      let finished: Awaited<ReturnType<ExportWriter['finish']>>;
      try {
        for await (const page of pages) {
          await stopIfCancelled();
          const resources = await mapper.map(page.records);
          read += page.records.length;
          checkpoints.passed({ after: page.last, read, ...counts, devices: [...mapper.devices], workstations: [...clinic.workstationIds] });
          await writer.add(resources, page.last);
          onProgress?.(Math.min(read, total), total);
          await giveWay();
        }
        await stopIfCancelled();
        finished = await writer.finish();
      } catch (error) {
        // A sink waiting for a server stops when the export is stopped.
        if (options.signal?.aborted && !(error instanceof StoreError && (error.code === 'export_cancelled' || error.code === 'locked'))) throw await stopped();
        throw error;
      }
      const { files, resources } = finished;
      await parts.audit.record(session, { kind: 'export.fhir', detail: { patients: counts.patients, resources, unreadable: counts.unreadable, ...audited } });
      if (movesChangeMark(options.scope)) await saveChangeMark(parts.local, options.destination, options.startedAt);
      return { files, resources, ...counts };
    },
    async changedSince(session, destination) {
      requirePermission(session, 'export.run');
      return (await readChangeMark(parts.local, destination))?.exportStartedAt;
    },
  };
}

interface SharedPart {
  resources: Resource[];
  references: ClinicReferences;
  /** The workstations whose Device is already in the export: this one, those whose names are known, and any other met so far. */
  workstationIds: Set<string>;
}

/** The clinic's shared resources: Organization, Location, staff, and the workstations known by name. */
async function sharedPart(session: Session, parts: ExportParts): Promise<SharedPart> {
  const names = await parts.workstations.names(session);
  const workstationIds = new Set([session.workstationId, ...Object.keys(names)]);
  const shared = await clinicResources({
    clinic: { clinicId: session.clinicId, name: (await parts.keyring.identity())?.clinicName ?? '' },
    staff: await parts.keyring.listStaff(session),
    workstations: [...workstationIds].map((workstationId) => ({ workstationId, name: names[workstationId] })),
  });
  return { ...shared, workstationIds };
}

function writerFor(sink: ExportSink, options: FhirExportOptions, resumeFrom: WriterCheckpoint | undefined, onCheckpoint: CheckpointHook): ExportWriter {
  const { format, startedAt } = options;
  if (format === 'ndjson') return createNdjsonExport(sink, { startedAt, onCheckpoint, ...(resumeFrom?.writer === 'ndjson' ? { resumeFrom } : {}) });
  return createBundleExport(sink, { type: format, startedAt, onCheckpoint, ...(resumeFrom?.writer === 'bundle' ? { resumeFrom } : {}), ...(options.maxBundleEntries ? { maxEntries: options.maxBundleEntries } : {}) });
}

type PagePoint = Omit<ExportResumePoint, 'writer'>;

/**
 * Pairs the writer's checkpoints (named by the page they follow) with what
 * the export had counted and written after that page: a Bundle writer's
 * checkpoint may be a few pages behind (it ends a file between two pages).
 */
function checkpointsOf(onCheckpoint: FhirExportOptions['onCheckpoint'], resumedAfter: string | undefined) {
  const pages = new Map<string, PagePoint>();
  let reported = resumedAfter;
  return {
    passed(point: PagePoint) {
      pages.set(point.after, point);
    },
    async report(checkpoint: { mark: string; state: WriterCheckpoint }) {
      if (checkpoint.mark === reported) return;
      const point = pages.get(checkpoint.mark);
      if (!point) throw new Error('an export checkpoint names a page it was not given');
      // Pages up to this one can no longer be a checkpoint.
      for (const after of pages.keys()) {
        pages.delete(after);
        if (after === checkpoint.mark) break;
      }
      reported = checkpoint.mark;
      await onCheckpoint?.({ ...point, writer: checkpoint.state });
    },
  };
}

/** Maps a page of patients' records, with their readings and visits, to resources; counts the patients and what did not open. */
function pageMapper(db: ClinicDatabase, session: Session, scope: ExportScope, clinic: SharedPart, counts: { patients: number; unreadable: number }, written: readonly string[]) {
  const devices = new Set<string>(written);
  const read = pageReader(db, session, counts);

  const map = async (page: SealedRecord[]): Promise<Resource[]> => {
    const opened = await read(page);
    const resources: Resource[] = [];
    // Provenance names the workstation that stored each visit: every one it names is in the export.
    for (const workstationId of new Set(opened.writtenOn.values())) {
      if (clinic.workstationIds.has(workstationId)) continue;
      clinic.workstationIds.add(workstationId);
      resources.push(await workstationDevice({ workstationId }, clinic.references.organization));
    }
    for (const { patient, readings, visits, consents, referrals } of opened.patients) {
      const workstationOf = (visit: Visit) => opened.writtenOn.get(visit.id) ?? opened.writtenOn.get(visit.observationIds[0] ?? '') ?? session.workstationId;
      const mapped = await patientResources({ clinicId: session.clinicId, patient, visits, readings, consents, referrals, workstationOf, scope }, clinic.references);
      if (mapped.length === 0) continue;
      const destinations = referralDestinations(
        referrals.referrals.filter((referral) => mapped.some((resource) => resource.resourceType === 'ServiceRequest' && resource.id === referral.id)),
        devices,
      );
      resources.push(...(await readingDevices(readings, devices)), ...destinations, ...mapped);
      counts.patients++;
    }
    return resources;
  };
  return { map, devices };
}
