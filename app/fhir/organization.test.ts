import type { Organization } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { organizationIdOf, toFhirOrganization } from './organization';
import { clinicId } from './test-support';

describe('toFhirOrganization', () => {
  it('gives the clinic as a healthcare provider with its name and clinic id', () => {
    expect(toFhirOrganization({ clinicId, name: 'Chipata Rural Health Centre' })).toEqual({
      resourceType: 'Organization',
      id: clinicId,
      identifier: [{ system: 'urn:clinic-workstation:clinic-id', value: clinicId }],
      active: true,
      type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov', display: 'Healthcare Provider' }] }],
      name: 'Chipata Rural Health Centre',
    } satisfies Organization);
  });

  it('derives an id for a clinic id FHIR refuses, keeping the clinic id as the identifier', async () => {
    const id = await organizationIdOf({ clinicId: 'clinic:old_1' });
    expect(id).toMatch(/^clinic-[0-9a-f]{32}$/);
    expect(toFhirOrganization({ clinicId: 'clinic:old_1', name: 'Old' }, { id }).identifier).toEqual([{ system: 'urn:clinic-workstation:clinic-id', value: 'clinic:old_1' }]);
    expect(await organizationIdOf({ clinicId })).toBe(clinicId);
  });
});
