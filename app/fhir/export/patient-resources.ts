import type { Resource } from '@medplum/fhirtypes';
import type { RecordedObservation } from '../../observations/observation';
import type { Consent } from '../../consents/consent';
import type { Patient } from '../../patients/patient';
import type { Referral, ReferralStatus } from '../../referrals/referral';
import { referralServiceRequests } from './referral-resources';
import { toFhirConsent } from '../consent';
import type { Visit } from '../../visits/visit';
import { patientFhirIdOf, toFhirPatient } from '../patient';
import type { ClinicReferences } from './clinic-resources';
import { keepsVisit, type ExportScope } from './export-scope';
import { legacyVisitsOf } from './legacy-visits';
import { visitResources } from './visit-resources';

/**
 * One patient's part of an export: the Patient and their research-use
 * decisions (Consent), then each visit's resources
 * (visit-resources.ts), oldest visit first, then their referrals
 * (ServiceRequest, referral-resources.ts; the export writes each
 * destination's Location once, before); readings no visit lists get
 * derived visits (legacy-visits.ts), so every Observation has an Encounter.
 * In a date range's export only the visits that began in it are written, and
 * a patient with none is left out (nothing is returned).
 */
export interface PatientExportInput {
  clinicId: string;
  patient: Patient;
  visits: readonly Visit[];
  readings: readonly RecordedObservation[];
  /** The patient's research-use decisions, each a Consent after the Patient (absent: none written). */
  consents?: readonly Consent[] | undefined;
  /** The patient's referrals and every status recorded of them (absent: none written). In a date range's export, those made in it. */
  referrals?: { referrals: readonly Referral[]; statuses: readonly ReferralStatus[] } | undefined;
  /** The workstation that stored a visit (its record's clock names it). */
  workstationOf(visit: Visit): string;
  /** The export's scope (every visit when absent). */
  scope?: ExportScope;
}

export async function patientResources(input: PatientExportInput, clinic: ClinicReferences): Promise<Resource[]> {
  const { patient, readings } = input;
  const { scope } = input;
  const all = [...input.visits, ...(await legacyVisitsOf(readings, input.visits))];
  const visits = (scope ? all.filter((visit) => keepsVisit(scope, visit)) : all).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  if (scope?.kind === 'dates' && visits.length === 0) return [];
  const patientFhirId = await patientFhirIdOf(patient);
  const resources: Resource[] = [toFhirPatient(patient, { clinicId: input.clinicId, id: patientFhirId, managingOrganization: clinic.organization })];
  for (const consent of input.consents ?? []) resources.push(toFhirConsent(consent, { patientFhirId, organization: clinic.organization }));
  const byId = new Map(readings.map((reading) => [reading.id, reading]));
  for (const visit of visits) {
    // A reading a visit lists may not have arrived yet (sync brings records in any order): the visit exports what is here.
    const own = visit.observationIds.flatMap((id) => byId.get(id) ?? []);
    if (own.length === 0) continue;
    resources.push(...(await visitResources(visit, own, { workstation: await clinic.workstation(input.workstationOf(visit)), organization: clinic.organization, location: clinic.location })));
  }
  if (input.referrals) {
    // A referral points at the readings it carried only where the export holds them.
    const readingRefs = new Map(resources.flatMap((resource) => (resource.resourceType === 'Observation' && resource.id !== undefined && byId.has(resource.id) ? [[resource.id, { reference: `Observation/${resource.id}` }] as const] : [])));
    const referrals = input.referrals.referrals.filter((referral) => !scope || keepsVisit(scope, { start: referral.createdAt }));
    resources.push(...(await referralServiceRequests(referrals, input.referrals.statuses, { patientFhirId, readings: readingRefs })));
  }
  return resources;
}
