/**
 * The measurements the workstation records, each with its LOINC code, its
 * UCUM unit and the range a real patient's value can fall in. Codes checked
 * against loinc.org (see README, Terminology); units are validated with
 * @lhncbc/ucum-lhc in ucum.test.ts. A value outside `plausible` is refused
 * with a reason, never stored.
 */
export const vitals = {
  spo2: { loinc: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%', plausible: [50, 100] },
  pulse: { loinc: '8867-4', display: 'Heart rate', unit: '/min', plausible: [20, 300] },
  respiratoryRate: { loinc: '9279-1', display: 'Respiratory rate', unit: '/min', plausible: [2, 80] },
  systolic: { loinc: '8480-6', display: 'Systolic blood pressure', unit: 'mm[Hg]', plausible: [40, 300] },
  diastolic: { loinc: '8462-4', display: 'Diastolic blood pressure', unit: 'mm[Hg]', plausible: [20, 200] },
  bodyWeight: { loinc: '29463-7', display: 'Body weight', unit: 'kg', plausible: [0.2, 500] },
  bodyTemperature: { loinc: '8310-5', display: 'Body temperature', unit: 'Cel', plausible: [25, 45] },
  glucoseMass: { loinc: '41653-7', display: 'Glucose [Mass/volume] in Capillary blood by Glucometer', unit: 'mg/dL', plausible: [10, 1000] },
  glucoseMoles: { loinc: '14743-9', display: 'Glucose [Moles/volume] in Capillary blood by Glucometer', unit: 'mmol/L', plausible: [0.5, 55] },
} as const;

export type VitalKind = keyof typeof vitals;
export const vitalKinds = Object.keys(vitals) as VitalKind[];
/** The FHIR vital-signs panel that groups them. */
export const vitalSignsPanelLoinc = '85353-1';
export const bloodPressurePanelLoinc = '85354-9';

/** Why a value cannot be a real measurement of `kind`, or undefined when it can. */
export function implausibility(kind: VitalKind, value: number): string | undefined {
  if (!Number.isFinite(value)) return 'not a number';
  const [low, high] = vitals[kind].plausible;
  if (value < low) return `below ${low} ${vitals[kind].unit}, which a measured patient cannot have`;
  if (value > high) return `above ${high} ${vitals[kind].unit}, which a measured patient cannot have`;
  return undefined;
}
