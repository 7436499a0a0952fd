import type { CodeableConcept, Encounter, Observation, ObservationComponent, Practitioner, Quantity, Reference } from '@medplum/fhirtypes';
import type { News2ParameterScore, News2Result, News2Risk } from '../clinical/news2';
import { toFhirInstant } from './date-time';
import { derivedId, requireFhirId } from './ids';
import { NEWS2_RISK, OBSERVATION_CATEGORY, SNOMED_CT, UCUM } from './systems';

/**
 * A complete NEWS2 score as an Observation: the total with each parameter's
 * points as a component. NEWS2 has no LOINC code; these SNOMED CT (UK
 * edition) concepts are the ones NHS England's NEWS2 FHIR guidance, UK Core
 * and the Interweave IG use, with their preferred terms, and the score is a
 * `{score}` quantity as that guidance has it. Category `survey`: it is an
 * assessment score, and claiming vital-signs would claim that profile.
 */

const rcp = 'Royal College of Physicians NEWS2 (National Early Warning Score 2)';

const totalCode: CodeableConcept = {
  coding: [{ system: SNOMED_CT, code: '1104051000000101', display: `${rcp} total score` }],
  text: 'NEWS2 total score',
};

type SubScore = 'respirationRate' | 'spo2Scale1' | 'spo2Scale2' | 'airOrOxygen' | 'systolic' | 'pulse' | 'consciousness' | 'temperature';

const subScoreCodes: Readonly<Record<SubScore, { code: string; display: string }>> = {
  respirationRate: { code: '1104301000000104', display: `${rcp} - respiration rate score` },
  spo2Scale1: { code: '1104311000000102', display: `${rcp} - oxygen saturation scale 1 score` },
  spo2Scale2: { code: '1104321000000108', display: `${rcp} - oxygen saturation scale 2 score` },
  airOrOxygen: { code: '1104331000000105', display: `${rcp} - air or oxygen score` },
  systolic: { code: '1104341000000101', display: `${rcp} - systolic blood pressure score` },
  pulse: { code: '1104351000000103', display: `${rcp} - pulse score` },
  consciousness: { code: '1104361000000100', display: `${rcp} - consciousness score` },
  temperature: { code: '1104371000000107', display: `${rcp} - temperature score` },
};

const riskDisplay: Readonly<Record<News2Risk, string>> = {
  low: 'Low risk',
  'low-medium': 'Low-medium risk',
  medium: 'Medium risk',
  high: 'High risk',
};

function score(points: number): Quantity {
  return { value: points, unit: 'score', system: UCUM, code: '{score}' };
}

/** SpO2's sub-score is coded by the scale it was scored on: the two scales give different points for the same saturation. */
function subScoreOf(parameter: News2ParameterScore, result: News2Result): SubScore {
  if (parameter.parameter === 'spo2') return result.spo2Scale === 2 ? 'spo2Scale2' : 'spo2Scale1';
  return parameter.parameter;
}

function component(parameter: News2ParameterScore, result: News2Result): ObservationComponent {
  const { code, display } = subScoreCodes[subScoreOf(parameter, result)];
  return { code: { coding: [{ system: SNOMED_CT, code, display }] }, valueQuantity: score(parameter.score) };
}

/** A score has no store record: one per visit, so its id comes from the visit's. */
export function news2ObservationId(encounterId: string): Promise<string> {
  return derivedId('news2', encounterId);
}

export interface News2ObservationContext {
  id: string;
  patientId: string;
  encounter?: Reference<Encounter> | undefined;
  /** When the score applies: when the latest value it uses was measured. */
  effectiveAt: string;
  /** The exported Observations the values came from (a blood pressure panel rather than its systolic). */
  derivedFrom: readonly Reference<Observation>[];
  /** Who confirmed the readings, when one person did. */
  performer?: Reference<Practitioner> | undefined;
}

/**
 * Throws for an incomplete score: its total is only a minimum, and a
 * receiver reading it as the patient's NEWS2 would be falsely reassured.
 */
export function toFhirNews2Observation(result: News2Result, context: News2ObservationContext): Observation {
  if (!result.complete) throw new Error('only a complete NEWS2 score is exported');
  return {
    resourceType: 'Observation',
    id: requireFhirId(context.id, 'NEWS2 observation id'),
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' }] }],
    code: structuredClone(totalCode),
    subject: { reference: `Patient/${requireFhirId(context.patientId, 'patient id')}` },
    ...(context.encounter === undefined ? {} : { encounter: context.encounter }),
    effectiveDateTime: toFhirInstant(context.effectiveAt),
    ...(context.performer === undefined ? {} : { performer: [context.performer] }),
    valueQuantity: score(result.total),
    interpretation: [{ coding: [{ system: NEWS2_RISK, code: result.risk, display: riskDisplay[result.risk] }], text: riskDisplay[result.risk] }],
    derivedFrom: [...context.derivedFrom],
    component: result.parameters.map((parameter) => component(parameter, result)),
  };
}
