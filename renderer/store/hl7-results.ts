import { requirePermission } from '../../app/auth/roles';
import type { ApiClient } from '../../app/contract/client';
import type { Hl7Ack } from '../../app/contract/hl7-endpoint';
import { legacyVisitsOf } from '../../app/fhir/export/legacy-visits';
import { keepsVisit, type ExportScope } from '../../app/fhir/export/export-scope';
import { controlIdOf, visitOruR01, type OruContext } from '../../app/hl7/oru-r01';
import { giveWay } from '../../app/scheduling/give-way';
import { readChangeMark } from './export-change-mark';
import { pageReader } from './export-page-reader';
import { patientPages } from './export-patient-pages';
import { createMainExportSink } from './export-to-main';
import { lockedReason } from './fhir-export';
import type { Session } from './session';
import type { StoreServices } from './store-services';
import { StoreError } from './store-error';
import { reachWaits, untilReachable, type LinkWaiting } from './until-reachable';

/**
 * An admin's visits as HL7 v2.5.1 ORU^R01 results, one message per visit,
 * for a lab or EHR that takes v2: sent over MLLP to the endpoint set in
 * Settings (each message waits for its acknowledgement), or written into a
 * new export folder as `results.hl7` (the messages one after another, as v2
 * files hold them). The data worker reads, decrypts and builds; the main
 * process writes the file or speaks MLLP. While the endpoint cannot be
 * reached the sending waits and tries again (until-reachable.ts), so results
 * sent while the link is down go out when it returns. Control ids are stable
 * per visit, so a message sent again (its acknowledgement lost, or the
 * sending started again after a restart) is recognised by the receiver as
 * the same results; there is no journal. Audited with its counts.
 */

type MainApi = Pick<ApiClient, 'call'>;

export interface Hl7Request {
  scope: ExportScope;
  to: 'folder' | 'endpoint';
}

/** The first problems an endpoint reported (by control id, never the patient), for the admin to read. */
export const maxHl7IssuesKept = 50;

export interface Hl7Result {
  to: 'folder' | 'endpoint';
  messages: number;
  patients: number;
  unreadable: number;
  /** Over MLLP: acknowledged AA or CA, and refused (AE, AR, CE, CR) with what the endpoint said. */
  accepted: number;
  refused: number;
  issues: { controlId: string; code: Hl7Ack['code']; text?: string }[];
  /** Into a folder: where. */
  exportId?: string;
  folder?: string;
}

export interface Hl7Sending {
  signal: AbortSignal;
  /** While the endpoint cannot be reached, why and until when; undefined once it answers. */
  onWaiting: (waiting: LinkWaiting | undefined) => void;
  waits?: typeof reachWaits;
}

export async function sendHl7Results(services: StoreServices, session: Session, main: MainApi, request: Hl7Request, sending: Hl7Sending, onProgress?: (done: number, total: number) => void): Promise<Hl7Result> {
  const { signal } = sending;
  requirePermission(session, 'export.run');
  const endpoint = await main.call('hl7Endpoint.get', {});
  if (request.to === 'endpoint' && !endpoint.configured) throw new StoreError('not_found', 'No HL7 endpoint is set.');
  const context: Omit<OruContext, 'sentAt'> = {
    clinic: { clinicId: session.clinicId, name: (await services.keyring.identity())?.clinicName ?? '' },
    receiving: endpoint.configured ? { application: endpoint.receivingApplication, facility: endpoint.receivingFacility } : { application: '', facility: '' },
  };
  const folder = request.to === 'folder' ? await main.call('export.open', { format: 'hl7v2' }) : undefined;
  const sink = folder === undefined ? undefined : createMainExportSink(main, folder.exportId);
  const counts = { patients: 0, unreadable: 0 };
  const result: Hl7Result = { to: request.to, messages: 0, patients: 0, unreadable: 0, accepted: 0, refused: 0, issues: [], ...(folder ?? {}) };
  const audited = { destination: request.to === 'folder' ? 'hl7-file' : 'hl7-mllp', scope: request.scope.kind };
  const stopIfAsked = async () => {
    if (!signal.aborted) return;
    await services.audit.record(session, { kind: 'export.hl7', outcome: 'minor-failure', detail: { messages: result.messages, ...audited, stopped: 1 } });
    throw signal.reason === lockedReason ? new StoreError('locked', 'The workstation locked: the results stop here.') : new StoreError('export_cancelled', 'Sending the results was stopped by an administrator.');
  };

  // A changed-since scope starts where the last export to files did; sending results does not move it.
  const { total, pages } = await patientPages(services.db, request.scope, await readChangeMark(services.local, 'folder'));
  const read = pageReader(services.db, session, counts);
  let done = 0;
  onProgress?.(0, total);
  for await (const page of pages) {
    await stopIfAsked();
    for (const { patient, readings, visits } of (await read(page.records)).patients) {
      const byId = new Map(readings.map((reading) => [reading.id, reading]));
      const all = [...visits, ...(await legacyVisitsOf(readings, visits))].filter((visit) => keepsVisit(request.scope, visit));
      let sent = false;
      for (const visit of all.sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
        const own = visit.observationIds.flatMap((id) => byId.get(id) ?? []);
        if (own.length === 0) continue;
        await stopIfAsked();
        const present = { ...visit, observationIds: own.map((reading) => reading.id) };
        const message = await visitOruR01(patient, present, own, { ...context, sentAt: new Date().toISOString() });
        if (sink) await sink.append('results.hl7', message);
        else {
          const ack = await untilReachable(() => main.call('hl7.send', { message }), signal, sending.onWaiting, sending.waits);
          if (ack.code === 'AA' || ack.code === 'CA') result.accepted++;
          else {
            result.refused++;
            if (result.issues.length < maxHl7IssuesKept) result.issues.push({ controlId: await controlIdOf(visit), code: ack.code, ...(ack.text === undefined ? {} : { text: ack.text }) });
          }
        }
        result.messages++;
        sent = true;
      }
      if (sent) counts.patients++;
    }
    done += page.records.length;
    onProgress?.(Math.min(done, total), total);
    await giveWay();
  }
  await sink?.flush();
  result.patients = counts.patients;
  result.unreadable = counts.unreadable;
  await services.audit.record(session, { kind: 'export.hl7', detail: { messages: result.messages, patients: result.patients, accepted: result.accepted, refused: result.refused, ...audited } });
  return result;
}
