import type { Resource } from '@medplum/fhirtypes';
import { requirePermission } from '../../app/auth/roles';
import { createBundleExport } from '../../app/fhir/export/bundle-export';
import { clinicResources, readingDevices, workstationDevice } from '../../app/fhir/export/clinic-resources';
import type { ExportFormat, ExportSink, ExportWriter } from '../../app/fhir/export/export-sink';
import { createNdjsonExport } from '../../app/fhir/export/ndjson-export';
import { patientResources } from '../../app/fhir/export/patient-resources';
import { observationSchema, type RecordedObservation } from '../../app/observations/observation';
import { patientSchema, type Patient } from '../../app/patients/patient';
import { decodeHlc } from '../../app/records/hlc';
import { openRecord, type SealedRecord } from '../../app/records/sealed-record';
import { giveWay } from '../../app/scheduling/give-way';
import { visitSchema, type Visit } from '../../app/visits/visit';
import type { z } from 'zod';
import type { AuditLog } from './audit-log';
import type { ClinicDatabase } from './database';
import type { Keyring } from './keyring';
import type { Session } from './session';
import { StoreError } from './store-error';
import type { WorkstationDirectory } from './workstations';

/**
 * An administrator's FHIR export of the whole clinic, read from the store in
 * the data worker: the clinic's shared resources, then the patients a page at
 * a time, each with their visits and readings, decrypted and mapped by
 * app/fhir/export and written to `sink` (the main process's files). Records
 * that do not open are counted, never exported half-read and never a reason
 * to stop. The role is checked here, where the data is read; the export is
 * audited with its counts.
 */

export interface FhirExportResult {
  files: string[];
  resources: number;
  patients: number;
  /** Records that did not open or were not in their type's form: left out. */
  unreadable: number;
}

export interface FhirExporter {
  /** Stops between two pages when `signal` is aborted (StoreError `export_cancelled`), after auditing what was read. */
  run(session: Session, options: { format: ExportFormat; startedAt: string; signal?: AbortSignal }, sink: ExportSink, onProgress?: (done: number, total: number) => void): Promise<FhirExportResult>;
}

/** Patients read, decrypted and mapped between two writes (and two chances for a search to run). */
const patientsPerPage = 100;

interface Opened<T> {
  value: T;
  record: SealedRecord;
}

export function createFhirExporter(db: ClinicDatabase, parts: { keyring: Keyring; audit: AuditLog; workstations: WorkstationDirectory }): FhirExporter {
  return {
    async run(session, options, sink, onProgress) {
      requirePermission(session, 'export.run');
      let unreadable = 0;
      /** The records' payloads in their schema; the others are counted. */
      const openAll = async <T>(records: SealedRecord[], schema: z.ZodType<T>): Promise<Opened<T>[]> => {
        const opened = await Promise.all(
          records.map(async (record) => {
            const parsed = schema.safeParse(await openRecord(session.dataKey, record).catch(() => undefined));
            return parsed.success ? { value: parsed.data, record } : undefined;
          }),
        );
        unreadable += opened.filter((entry) => entry === undefined).length;
        return opened.filter((entry): entry is Opened<T> => entry !== undefined);
      };
      const find = async (selector: Record<string, unknown>, sort?: 'id'): Promise<SealedRecord[]> =>
        (await db.records.find({ selector: { deleted: false, ...selector }, ...(sort ? { sort: [{ id: 'asc' as const }], limit: patientsPerPage } : {}) }).exec()).map((doc) => doc.toMutableJSON());

      const writer: ExportWriter = options.format === 'ndjson' ? createNdjsonExport(sink, { startedAt: options.startedAt }) : createBundleExport(sink, { type: options.format, startedAt: options.startedAt });
      const names = await parts.workstations.names(session);
      // This workstation and those whose names are known; any other that wrote a record joins as it is met.
      const workstationIds = new Set([session.workstationId, ...Object.keys(names)]);
      const shared = await clinicResources({
        clinic: { clinicId: session.clinicId, name: (await parts.keyring.identity())?.clinicName ?? '' },
        staff: await parts.keyring.listStaff(session),
        workstations: [...workstationIds].map((workstationId) => ({ workstationId, name: names[workstationId] })),
      });
      await writer.add(shared.resources);

      // A count must match an index fully (RxDB refuses a slow one): deleted patients are in it, so it is an upper bound.
      const total = await db.records.count({ selector: { type: 'patient' } }).exec();
      const devices = new Set<string>();
      let patients = 0;
      let after = '';
      onProgress?.(0, total);
      const stopIfCancelled = async () => {
        if (!options.signal?.aborted) return;
        // The patients read so far were decrypted for an export: that is audited, as stopped.
        await parts.audit.record(session, { kind: 'export.fhir', outcome: 'minor-failure', detail: { patients, unreadable, stopped: 1 } });
        throw new StoreError('export_cancelled', 'The export was stopped by an administrator.');
      };
      for (;;) {
        await stopIfCancelled();
        const page = await find({ type: 'patient', id: { $gt: after } }, 'id');
        if (page.length === 0) break;
        after = page.at(-1)!.id;
        const opened = await openAll<Patient>(page, patientSchema);
        const subjects = opened.map((entry) => entry.value.id);
        const readings = await openAll<RecordedObservation>(await find({ type: 'observation', subject: { $in: subjects } }), observationSchema);
        const visits = await openAll<Visit>(await find({ type: 'visit', subject: { $in: subjects } }), visitSchema);
        // The workstation that stored a record is its clock's node.
        const writtenOn = new Map<string, string>();
        for (const { value, record } of [...readings, ...visits]) writtenOn.set(value.id, nodeOf(record.hlc, session.workstationId));
        const batch: Resource[] = [];
        // Provenance names the workstation that stored each visit: every one it names is in the export.
        for (const workstationId of new Set(writtenOn.values())) {
          if (workstationIds.has(workstationId)) continue;
          workstationIds.add(workstationId);
          batch.push(await workstationDevice({ workstationId }, shared.references.organization));
        }
        const readingsOf = byPatient(readings);
        const visitsOf = byPatient(visits);
        for (const { value: patient } of opened) {
          const own = readingsOf.get(patient.id) ?? [];
          const ownVisits = visitsOf.get(patient.id) ?? [];
          batch.push(...(await readingDevices(own, devices)));
          batch.push(
            ...(await patientResources(
              { clinicId: session.clinicId, patient, visits: ownVisits, readings: own, workstationOf: (visit) => writtenOn.get(visit.id) ?? writtenOn.get(visit.observationIds[0] ?? '') ?? session.workstationId },
              shared.references,
            )),
          );
        }
        await writer.add(batch);
        patients += opened.length;
        onProgress?.(Math.min(patients, total), total);
        await giveWay();
      }
      await stopIfCancelled();
      const { files, resources } = await writer.finish();
      await parts.audit.record(session, { kind: 'export.fhir', detail: { patients, resources, unreadable } });
      return { files, resources, patients, unreadable };
    },
  };
}

/** A page's opened records by the patient they are about. */
function byPatient<T extends { patientId: string }>(entries: readonly Opened<T>[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const { value } of entries) {
    const own = grouped.get(value.patientId);
    if (own) own.push(value);
    else grouped.set(value.patientId, [value]);
  }
  return grouped;
}

function nodeOf(hlc: string, fallback: string): string {
  try {
    return decodeHlc(hlc).node;
  } catch {
    return fallback;
  }
}
