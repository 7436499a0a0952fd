import type { Organization } from '@medplum/fhirtypes';
import { fhirIdFor, requireFhirId } from './ids';
import { CLINIC_ID, ORGANIZATION_TYPE } from './systems';

/**
 * The clinic as a FHIR Organization: the assigner of its clinic numbers, the
 * managing organisation of its patients, the employer in staff roles.
 */

export interface ClinicInput {
  clinicId: string;
  /** The name given at clinic setup. */
  name: string;
}

/** The clinic id when FHIR allows it (`clinic-<hex>` does), else one derived from it. */
export function organizationIdOf(clinic: Pick<ClinicInput, 'clinicId'>): Promise<string> {
  return fhirIdFor('clinic', clinic.clinicId);
}

export function toFhirOrganization(clinic: ClinicInput, context: { id?: string | undefined } = {}): Organization {
  return {
    resourceType: 'Organization',
    id: requireFhirId(context.id ?? clinic.clinicId, 'clinic id'),
    identifier: [{ system: CLINIC_ID, value: clinic.clinicId }],
    active: true,
    type: [{ coding: [{ system: ORGANIZATION_TYPE, code: 'prov', display: 'Healthcare Provider' }] }],
    ...(clinic.name === '' ? {} : { name: clinic.name }),
  };
}
