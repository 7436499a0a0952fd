import type { Location } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { locationIdOf, toFhirLocation } from './location';
import { clinicId } from './test-support';

describe('toFhirLocation', () => {
  it('gives the clinic as a building run by its Organization', () => {
    expect(toFhirLocation({ clinicId, name: 'Chipata Rural Health Centre' }, { id: 'loc-1', managingOrganization: { reference: `Organization/${clinicId}` } })).toEqual({
      resourceType: 'Location',
      id: 'loc-1',
      status: 'active',
      name: 'Chipata Rural Health Centre',
      mode: 'instance',
      physicalType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'bu', display: 'Building' }] },
      managingOrganization: { reference: `Organization/${clinicId}` },
    } satisfies Location);
  });

  it('gives a clinic’s site one id on every export', async () => {
    expect(await locationIdOf({ clinicId })).toBe(await locationIdOf({ clinicId }));
    expect(await locationIdOf({ clinicId })).toMatch(/^loc-[0-9a-f]{32}$/);
  });
});
