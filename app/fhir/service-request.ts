import type { Location, Practitioner, Reference, ServiceRequest } from '@medplum/fhirtypes';
import { vitalValueText, type Referral, type ReferralStatus } from '../referrals/referral';
import { requireFhirId } from './ids';
import { EXTENSION, FACILITY_CAPABILITY, NEWS2_RISK, REFERRAL_ID, SNOMED_CT } from './systems';

/**
 * A referral (app/referrals/referral.ts) as FHIR R4's ServiceRequest, for the
 * receiving facility (the FHIR push) and the export: an order to refer the
 * patient (SNOMED CT 3457005 "Patient referral") for the capability needed,
 * its urgency as the priority (emergency → stat), the reason, the destination
 * as the Location where it is to be performed, the transport and the NEWS2
 * score as notes, and the readings it was based on as supporting information.
 * Its status follows the referral's: active while sent or accepted, completed
 * once the patient arrived or was seen, revoked when cancelled.
 */

const priority = { routine: 'routine', urgent: 'urgent', emergency: 'stat' } as const;
const statusOf = { sent: 'active', accepted: 'active', arrived: 'completed', completed: 'completed', cancelled: 'revoked' } as const;

export interface ServiceRequestContext {
  patientFhirId: string;
  /** The staff member who referred, as exported. */
  requester: Reference<Practitioner>;
  /** The destination as the directory's Location (app/facilities/facility-fhir.ts). */
  destination: Reference<Location>;
  /** The referral's status now (referral.ts `currentStatus`). */
  status: ReferralStatus['status'];
  /** The exported Observations of the readings the referral carries, by reading id. */
  readings?: ReadonlyMap<string, Reference>;
}

export function toFhirServiceRequest(referral: Referral, context: ServiceRequestContext): ServiceRequest {
  const notes = [`Transport: ${referral.transport}.`];
  if (referral.news2) notes.push(`NEWS2 ${referral.news2.total} (${referral.news2.risk} risk${referral.news2.anySingleThree ? ', a single parameter scoring 3' : ''}${referral.news2.complete ? '' : ', not every parameter measured'}).`);
  if (referral.route) notes.push(`By road: ${Math.round(referral.route.distanceM / 100) / 10} km, about ${Math.max(1, Math.round(referral.route.durationS / 60))} min in the ${referral.route.season} season.`);
  for (const vital of referral.vitals) notes.push(`${vital.label}: ${vitalValueText(vital)} at ${vital.effectiveAt}.`);
  const supporting = referral.vitals.flatMap((vital) => (vital.readingId !== undefined && context.readings?.get(vital.readingId) ? [context.readings.get(vital.readingId)!] : []));
  return {
    resourceType: 'ServiceRequest',
    id: requireFhirId(referral.id, 'referral id'),
    identifier: [{ system: REFERRAL_ID, value: referral.id }],
    status: statusOf[context.status],
    intent: 'order',
    category: [{ coding: [{ system: SNOMED_CT, code: '3457005', display: 'Patient referral' }] }],
    priority: priority[referral.urgency],
    code: { coding: [{ system: FACILITY_CAPABILITY, code: referral.capability }], text: `Referral for ${referral.capability}` },
    subject: { reference: `Patient/${context.patientFhirId}` },
    authoredOn: referral.createdAt,
    requester: context.requester,
    locationReference: [context.destination],
    reasonCode: [{ text: referral.reason }],
    ...(referral.news2 ? { extension: [{ url: EXTENSION.referralNews2, valueCodeableConcept: { coding: [{ system: NEWS2_RISK, code: referral.news2.risk }], text: `NEWS2 ${referral.news2.total}` } }] } : {}),
    ...(supporting.length > 0 ? { supportingInfo: supporting } : {}),
    note: notes.map((text) => ({ text })),
  };
}
