import type { Provenance } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { provenanceIdOf, toFhirProvenance, type ProvenanceInput } from './provenance';
import { nurseId, workstationId } from './test-support';

const input: ProvenanceInput = {
  target: [{ reference: 'Observation/obs-1' }],
  recorded: '2025-06-15T09:30:00+02:00',
  activity: 'create',
  userId: nurseId,
  workstation: { reference: `Device/${workstationId}` },
};

describe('toFhirProvenance', () => {
  it('says who entered the record, when, and on which workstation', () => {
    expect(toFhirProvenance(input, { id: 'prov-1', organization: { reference: 'Organization/clinic-1' }, location: { reference: 'Location/loc-1' } })).toEqual({
      resourceType: 'Provenance',
      id: 'prov-1',
      target: [{ reference: 'Observation/obs-1' }],
      recorded: '2025-06-15T09:30:00+02:00',
      activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'CREATE', display: 'create' }] },
      location: { reference: 'Location/loc-1' },
      agent: [
        {
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'enterer', display: 'Enterer' }] },
          who: { reference: `Practitioner/${nurseId}` },
          onBehalfOf: { reference: 'Organization/clinic-1' },
        },
        {
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'DEV', display: 'device' }], text: 'Workstation' },
          who: { reference: `Device/${workstationId}` },
        },
      ],
    } satisfies Provenance);
  });

  it('codes an edit as an update', () => {
    expect(toFhirProvenance({ ...input, activity: 'update' }, { id: 'prov-2' }).activity?.coding?.[0]?.code).toBe('UPDATE');
  });

  it('refuses a provenance of nothing', () => {
    expect(() => toFhirProvenance({ ...input, target: [] }, { id: 'prov-3' })).toThrow();
  });

  it('gives each act one id on every export', async () => {
    const id = await provenanceIdOf(input);
    expect(id).toMatch(/^prov-[0-9a-f]{32}$/);
    expect(await provenanceIdOf({ ...input })).toBe(id);
    expect(await provenanceIdOf({ ...input, activity: 'update' })).not.toBe(id);
  });
});
