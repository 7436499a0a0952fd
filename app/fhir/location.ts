import type { Location, Organization, Reference } from '@medplum/fhirtypes';
import { derivedId, requireFhirId } from './ids';
import { LOCATION_PHYSICAL_TYPE } from './systems';
import type { ClinicInput } from './organization';

/**
 * The clinic as a place (a FHIR Location): where visits happen and staff
 * work. One per clinic; the Organization is who runs it.
 */

/** A clinic has one site, so its Location's id comes from the clinic's. */
export function locationIdOf(clinic: Pick<ClinicInput, 'clinicId'>): Promise<string> {
  return derivedId('loc', clinic.clinicId);
}

export interface LocationContext {
  id: string;
  managingOrganization: Reference<Organization>;
}

export function toFhirLocation(clinic: ClinicInput, context: LocationContext): Location {
  return {
    resourceType: 'Location',
    id: requireFhirId(context.id, 'location id'),
    status: 'active',
    ...(clinic.name === '' ? {} : { name: clinic.name }),
    mode: 'instance',
    physicalType: { coding: [{ system: LOCATION_PHYSICAL_TYPE, code: 'bu', display: 'Building' }] },
    managingOrganization: context.managingOrganization,
  };
}
