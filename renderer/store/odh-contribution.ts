import type { Resource } from '@medplum/fhirtypes';
import { requirePermission } from '../../app/auth/roles';
import { hashed } from '../../app/deid/deid-engine';
import { clinicOdhSecrets, deidKeys } from '../../app/deid/deid-keys';
import { DeidRun, type DeidProfileName } from '../../app/deid/deid-run';
import { clinicResources } from '../../app/fhir/export/clinic-resources';
import { patientResources } from '../../app/fhir/export/patient-resources';
import { patientFhirIdOf } from '../../app/fhir/patient';
import { giveWay } from '../../app/scheduling/give-way';
import type { Visit } from '../../app/visits/visit';
import type { HubApi } from './enrollment';
import { pageReader } from './export-page-reader';
import type { Session } from './session';
import type { StoreServices } from './store-services';

/**
 * An admin's contribution to the Open Data Hub. Only patients whose consent
 * now is `active` (consents.ts) are read; their records are mapped to FHIR
 * as an export maps them, then de-identified together (app/deid/deid-run.ts:
 * the ODH profile with k = 5 by default, or Safe Harbor), with the clinic's
 * own pseudonym keys, so every contribution and withdrawal from any of its
 * workstations names a patient the same way. The Bundles, and a withdrawal
 * notice for every patient whose consent now is `withdrawn`, go to the main
 * process's queue (main/odh/contribution-queue.ts), which sends them when
 * the hub is reached. Audited: the contribution (counts only) and each
 * withdrawal against its patient.
 */

type Json = Record<string, unknown>;

/** What the ODH takes; Provenance and Devices stay home (the hub would refuse them). */
const contributed = new Set(['Patient', 'Encounter', 'Observation', 'Condition']);
/** Entries per Bundle: a few hundred kilobytes, well inside the hub's and the main API's limits. */
const entriesPerBundle = 200;
const patientsPerPage = 100;

export interface OdhContributionOptions {
  profile: DeidProfileName;
  /** The ODH profile's k (default 5); Safe Harbor holds nobody back unless one is given. */
  k?: number | undefined;
  onProgress?: (done: number, total: number) => void;
}

export interface OdhContributionResult {
  patients: number;
  resources: number;
  heldBackPatients: number;
  submissions: number;
  withdrawals: number;
  unreadable: number;
  safeHarbor: boolean;
  statement: string;
  kReached: number | null;
}

export async function contributeToOdh(services: StoreServices, session: Session, main: HubApi, options: OdhContributionOptions): Promise<OdhContributionResult> {
  requirePermission(session, 'odh.contribute');
  const { byPatient, unreadable: unreadableConsents } = await services.consents.current(session);
  const consenting = [...byPatient.values()].filter((consent) => consent.status === 'active').map((consent) => consent.patientId);
  const withdrawn = [...byPatient.values()].filter((consent) => consent.status === 'withdrawn').map((consent) => consent.patientId);
  const keys = await deidKeys(await clinicOdhSecrets(session.dataKey));
  const run = new DeidRun({ profile: options.profile, k: options.k ?? (options.profile === 'odh' ? 5 : undefined), keys, linkable: true });

  // The patients' records as FHIR, as an export maps them (references to the clinic and its workstations become pseudonyms).
  const { references } = await clinicResources({ clinic: { clinicId: session.clinicId, name: '' }, staff: [], workstations: [] });
  const counts = { unreadable: unreadableConsents };
  const read = pageReader(services.db, session, counts);
  const resources: Json[] = [];
  options.onProgress?.(0, consenting.length);
  for (let start = 0; start < consenting.length; start += patientsPerPage) {
    const ids = consenting.slice(start, start + patientsPerPage);
    const page = (await services.db.records.find({ selector: { type: 'patient', deleted: false, id: { $in: ids } } }).exec()).map((doc) => doc.toMutableJSON());
    const opened = await read(page);
    for (const { patient, readings, visits } of opened.patients) {
      const workstationOf = (visit: Visit) => opened.writtenOn.get(visit.id) ?? session.workstationId;
      const mapped: Resource[] = await patientResources({ clinicId: session.clinicId, patient, visits, readings, workstationOf }, references);
      for (const resource of mapped) if (contributed.has(resource.resourceType)) resources.push(resource as unknown as Json);
    }
    options.onProgress?.(Math.min(start + ids.length, consenting.length), consenting.length);
    await giveWay();
  }

  for (const resource of resources) run.learn(resource);
  const out: Json[] = [];
  for (const [i, resource] of resources.entries()) {
    const done = await run.resource(resource);
    if (done !== undefined) out.push(done);
    if (i % 500 === 499) await giveWay();
  }
  const report = run.report();

  let submissions = 0;
  for (let start = 0; start < out.length; start += entriesPerBundle) {
    const entry = out.slice(start, start + entriesPerBundle).map((resource) => ({ resource }));
    const patients = entry.filter(({ resource }) => resource['resourceType'] === 'Patient').length;
    await main.call('odh.enqueue', { items: [{ kind: 'submission', bundle: { resourceType: 'Bundle', type: 'collection', entry }, summary: { patients, resources: entry.length } }] });
    submissions += 1;
  }
  for (const patientId of withdrawn) {
    await main.call('odh.enqueue', { items: [{ kind: 'withdrawal', patient: hashed(keys.hash, `Patient/${await patientFhirIdOf({ id: patientId })}`) }] });
    await services.audit.record(session, { kind: 'odh.withdraw', patientId });
  }
  const heldBackPatients = report.kAnonymity?.heldBack.patients ?? 0;
  const contributedPatients = out.filter((resource) => resource['resourceType'] === 'Patient').length;
  await services.audit.record(session, {
    kind: 'odh.contribute',
    detail: { profile: report.profile, patients: contributedPatients, resources: out.length, heldBack: heldBackPatients, submissions, withdrawals: withdrawn.length, unreadable: counts.unreadable },
  });
  return {
    patients: contributedPatients,
    resources: out.length,
    heldBackPatients,
    submissions,
    withdrawals: withdrawn.length,
    unreadable: counts.unreadable,
    safeHarbor: report.safeHarbor,
    statement: report.statement,
    kReached: report.kAnonymity?.kReached ?? null,
  };
}
