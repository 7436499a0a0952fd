import { describe, expect, it } from 'vitest';
import { r4ShapeProblem } from './r4-shape';

const observation = {
  resourceType: 'Observation',
  id: 'o1',
  meta: { profile: ['http://hl7.org/fhir/StructureDefinition/oxygensat'] },
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '59408-5' }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2026-11-30T08:20:00+03:00',
  _effectiveDateTime: { extension: [{ url: 'urn:x', valueBoolean: true }] },
  valueQuantity: { value: 97, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
  component: [{ code: { text: 'x' }, valueInteger: 3 }],
  extension: [{ url: 'urn:x:scale', valueInteger: 2 }, { url: 'urn:x:nested', extension: [{ url: 'a', valueAge: { value: 3, code: 'a' } }] }],
  contained: [{ resourceType: 'Device', id: 'd', serialNumber: 'x' }],
};

describe('a record’s shape, by FHIR R4’s model', () => {
  it('accepts a well-formed record, choice keys, primitive extensions and contained resources included', () => {
    expect(r4ShapeProblem(observation)).toBeUndefined();
    expect(r4ShapeProblem({ resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: 'urn:uuid:x', resource: observation, request: { method: 'POST', url: 'Observation' } }] })).toBeUndefined();
  });

  it('refuses what no rule could be trusted to see, naming the model’s path and never the value', () => {
    const cases: [unknown, string][] = [
      [{ ...observation, subject: 'Patient/Mary Banda' }, 'Observation.subject'],
      [{ ...observation, text: 'Mary Banda' }, 'Observation.text'],
      [{ ...observation, note: { text: 'Mary' } }, 'Observation.note'],
      [{ ...observation, valueQuantity: { value: '97 Mary' } }, 'Quantity.value'],
      [{ ...observation, valueFoo: 'Mary' }, 'Observation (an element FHIR R4 does not have)'],
      [{ ...observation, Banda: 1 }, 'Observation (an element FHIR R4 does not have)'],
      [{ ...observation, resourceType: 'Mary Banda' }, 'the record (not a FHIR R4 resource type)'],
      [{ ...observation, contained: [{ resourceType: 'Patient', name: 'Mary' }] }, 'Patient.name'],
      [{ ...observation, _effectiveDateTime: 'Mary' }, 'Observation.effectiveDateTime'],
      [{ resourceType: 'Bundle', type: 'collection', entry: 'Mary Banda' }, 'Bundle.entry'],
      [[observation], 'the record'],
    ];
    for (const [record, where] of cases) {
      const problem = r4ShapeProblem(record);
      expect(problem).toBe(where);
      expect(problem).not.toMatch(/Mary|Banda/);
    }
  });
});
