import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { news2 } from '../clinical/news2';
import { news2ObservationId, toFhirNews2Observation } from './news2-observation';
import { nurseId, patientId } from './test-support';

const sct = 'http://snomed.info/sct';
const rcp = 'Royal College of Physicians NEWS2 (National Early Warning Score 2)';
const score = (value: number) => ({ value, unit: 'score', system: 'http://unitsofmeasure.org', code: '{score}' });
const sub = (code: string, name: string, points: number) => ({ code: { coding: [{ system: sct, code, display: `${rcp} - ${name} score` }] }, valueQuantity: score(points) });

const context = {
  id: 'news2-1',
  patientId,
  encounter: { reference: 'Encounter/enc-1' },
  effectiveAt: '2025-06-15T10:00:00+02:00',
  derivedFrom: [{ reference: 'Observation/obs-1' }, { reference: 'Observation/bp-1' }],
  performer: { reference: `Practitioner/${nurseId}` },
};

describe('toFhirNews2Observation', () => {
  it('emits the total as SNOMED CT 1104051000000101 with each parameter’s points as a component', () => {
    // RR 23 (2) + scale-2 SpO2 95 on oxygen (2) + oxygen (2) + SBP 105 (1) + pulse 112 (2) + alert (0) + 38.4 (1) = 10
    const result = news2({ respirationRate: 23, spo2: 95, spo2Scale: 2, onOxygen: true, systolic: 105, pulse: 112, consciousness: 'A', temperature: 38.4 });
    expect(toFhirNews2Observation(result, context)).toEqual({
      resourceType: 'Observation',
      id: 'news2-1',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey', display: 'Survey' }] }],
      code: { coding: [{ system: sct, code: '1104051000000101', display: `${rcp} total score` }], text: 'NEWS2 total score' },
      subject: { reference: `Patient/${patientId}` },
      encounter: { reference: 'Encounter/enc-1' },
      effectiveDateTime: '2025-06-15T10:00:00+02:00',
      performer: [{ reference: `Practitioner/${nurseId}` }],
      valueQuantity: score(10),
      interpretation: [{ coding: [{ system: 'urn:clinic-workstation:news2-risk', code: 'high', display: 'High risk' }], text: 'High risk' }],
      derivedFrom: [{ reference: 'Observation/obs-1' }, { reference: 'Observation/bp-1' }],
      component: [
        sub('1104301000000104', 'respiration rate', 2),
        sub('1104321000000108', 'oxygen saturation scale 2', 2),
        sub('1104331000000105', 'air or oxygen', 2),
        sub('1104341000000101', 'systolic blood pressure', 1),
        sub('1104351000000103', 'pulse', 2),
        sub('1104361000000100', 'consciousness', 0),
        sub('1104371000000107', 'temperature', 1),
      ],
    } satisfies Observation);
  });

  it('codes the SpO2 sub-score by the scale it was scored on', () => {
    const result = news2({ respirationRate: 16, spo2: 97, onOxygen: false, systolic: 125, pulse: 70, consciousness: 'A', temperature: 37 });
    const fhir = toFhirNews2Observation(result, context);
    expect(fhir.valueQuantity?.value).toBe(0);
    expect(fhir.component?.map((c) => c.code.coding?.[0]?.code)).toContain('1104311000000102');
    expect(fhir.interpretation?.[0]?.coding?.[0]?.code).toBe('low');
  });

  it('refuses an incomplete score, whose total is only a minimum', () => {
    const result = news2({ respirationRate: 30, spo2: 85 });
    expect(() => toFhirNews2Observation(result, context)).toThrow(/complete/);
  });

  it('gives each visit’s score one id on every export', async () => {
    expect(await news2ObservationId('enc-1')).toBe(await news2ObservationId('enc-1'));
    expect(await news2ObservationId('enc-1')).not.toBe(await news2ObservationId('enc-2'));
    expect(await news2ObservationId('enc-1')).toMatch(/^news2-[0-9a-f]{32}$/);
  });
});
