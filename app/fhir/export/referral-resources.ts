import type { Location, Reference, ServiceRequest } from '@medplum/fhirtypes';
import { currentStatus, type Referral, type ReferralStatus } from '../../referrals/referral';
import { requireFhirId } from '../ids';
import { practitionerIdOf } from '../practitioner';
import { toFhirServiceRequest } from '../service-request';
import { FACILITY_ID } from '../systems';

/**
 * A patient's referrals in an export (and so in a FHIR push): each a
 * ServiceRequest (app/fhir/service-request.ts) with its status now, naming
 * the facility it was sent to as a Location. The Location is made from what
 * the referral recorded of the facility (its name and place when it was
 * made), so a referral to a facility since withdrawn from the directory still
 * names where the patient went; it has the directory's id, so the same
 * facility is one Location however many referrals name it.
 */

export function referralDestination(referral: Referral): Location {
  return {
    resourceType: 'Location',
    id: requireFhirId(referral.facilityId, 'facility id'),
    identifier: [{ system: FACILITY_ID, value: referral.facilityId }],
    status: 'active',
    name: referral.facilityName,
    mode: 'instance',
    position: { latitude: referral.facilityPosition[0], longitude: referral.facilityPosition[1] },
  };
}

/** The Locations of the referrals' destinations not yet in the export (`known` holds the ids written, and gains these). */
export function referralDestinations(referrals: readonly Referral[], known: Set<string>): Location[] {
  return referrals.flatMap((referral) => {
    const key = `Location/${referral.facilityId}`;
    if (known.has(key)) return [];
    known.add(key);
    return [referralDestination(referral)];
  });
}

export async function referralServiceRequests(
  referrals: readonly Referral[],
  statuses: readonly ReferralStatus[],
  context: { patientFhirId: string; readings: ReadonlyMap<string, Reference> },
): Promise<ServiceRequest[]> {
  return Promise.all(
    referrals.map(async (referral) =>
      toFhirServiceRequest(referral, {
        patientFhirId: context.patientFhirId,
        requester: { reference: `Practitioner/${await practitionerIdOf({ id: referral.createdBy })}` },
        destination: { reference: `Location/${referral.facilityId}`, display: referral.facilityName },
        status: currentStatus(referral, statuses),
        readings: context.readings,
      }),
    ),
  );
}
