import type { z } from 'zod';
import { roundHalfUp } from '../../clinical/news2';
import { fromBase64, toHex } from '../../crypto/bytes';
import type { DeviceIdentity } from '../../devices/decoded-item';
import { consciousnessCode, kindOfLoinc, observationSchema, unitDisplay, validationProblems, type ObservationKind, type RecordedObservation } from '../../observations/observation';
import { observationValidationKeys } from '../../observations/validation-keys';
import { convertUcum, glucoseMolarMass } from '../../terminology/ucum';
import { bloodPressurePanelLoinc, vitals, type VitalKind } from '../../terminology/vitals';
import { derivedId, isFhirId } from '../ids';
import { ACVPU, EXTENSION, LOINC, READING_ID, UCUM } from '../systems';
import type { ExtensionInput, ObservationInput } from './fhir-input';
import { importProblemKeys as problem, type ImportProblem } from './import-problems';

/**
 * A FHIR Observation as the readings the workstation stores: one, or two for
 * a blood pressure panel (its systolic and diastolic components). The
 * reverse of app/fhir/observation.ts for our own exports; another system's
 * are read by their LOINC code, their values converted to our UCUM unit
 * where UCUM can (lb to kg, [degF] to Cel, mmol/L to mg/dL for glucose).
 * Observations the workstation does not keep are skipped with the reason.
 */

export type SkipReason = 'notFinal' | 'notKept' | 'computedHere';

type Problem = Pick<ImportProblem, 'path' | 'key' | 'params'>;
export type ReadingsMapping = { kind: 'readings'; readings: RecordedObservation[] } | { kind: 'skipped'; reason: SkipReason } | { kind: 'problem'; problem: Problem };

export interface ReadingsImportContext {
  /** The store id of the patient the subject names. */
  patientId: string;
  /** What identifies the resource in its source: another system's readings get ids derived from it. */
  sourceKey: string;
  /** The meter the `device` reference names, when it is one of ours (its Device carries the driver). */
  device?: DeviceIdentity | undefined;
  /** Who is importing: the reading's recorder when the source names no practitioner. */
  importedBy: string;
}

const keptStatuses: ReadonlySet<string> = new Set(['final', 'amended', 'corrected']);
/** Another system's panel code for systolic with diastolic. */
const bloodPressurePanels: ReadonlySet<string> = new Set([bloodPressurePanelLoinc, '55284-4']);
/** The NEWS2 total: computed here from the readings, so never imported as a value. */
const news2Codes: ReadonlySet<string> = new Set(['1104051000000101']);

const kindByLoinc: ReadonlyMap<string, ObservationKind> = new Map<string, ObservationKind>([
  ...kindOfLoinc,
  // FHIR's oxygensat profile code; we export it first, before 59408-5.
  ['2708-6', 'spo2'],
]);

type Codings = ObservationInput['code']['coding'];

function loincCodes(codings: Codings): string[] {
  return (codings ?? []).flatMap((coding) => (coding.system === LOINC && coding.code !== undefined ? [coding.code] : []));
}

function kindOf(codings: Codings): ObservationKind | undefined {
  for (const code of loincCodes(codings)) {
    const kind = kindByLoinc.get(code);
    if (kind !== undefined) return kind;
  }
  return undefined;
}

type Quantity = NonNullable<ObservationInput['valueQuantity']>;

/** The value in the unit the workstation keeps `kind` in; two decimals after a conversion (more would be noise a meter never had). */
function valueOf(kind: VitalKind, quantity: Quantity | undefined, path: string): { value: number } | Problem {
  if (quantity?.value === undefined) return { path: `${path}.value`, key: problem.noValue };
  const expected = vitals[kind].unit;
  const unit = quantity.system === undefined || quantity.system === UCUM ? (quantity.code ?? quantity.unit) : undefined;
  if (unit === expected) return { value: quantity.value };
  const refused = { path: `${path}.code`, key: problem.unitNotConvertible, params: { unit: unit ?? quantity.unit ?? '', expected: unitDisplay[expected] } };
  if (unit === undefined) return refused;
  try {
    const glucose = kind === 'glucoseMass' || kind === 'glucoseMoles';
    return { value: roundHalfUp(convertUcum(quantity.value, unit, expected, glucose ? glucoseMolarMass : undefined), 2) };
  } catch {
    return refused;
  }
}

/** FHIR's four comparators as the two a meter says: at-or-beyond its limit is beyond it for a reading. */
function comparatorOf(quantity: Quantity | undefined): '>' | '<' | undefined {
  if (quantity?.comparator === undefined) return undefined;
  return quantity.comparator.startsWith('>') ? '>' : '<';
}

function rawFrame(extensions: readonly ExtensionInput[] | undefined): string {
  const base64 = extensions?.find((extension) => extension.url === EXTENSION.rawFrame)?.valueBase64Binary;
  if (base64 === undefined) return '';
  try {
    return toHex(fromBase64(base64));
  } catch {
    return '';
  }
}

function readingIdIn(identifiers: ObservationInput['identifier'], index = 0): string | undefined {
  const ours = (identifiers ?? []).filter((identifier) => identifier.system === READING_ID && identifier.value !== undefined);
  const value = ours[index]?.value;
  return value !== undefined && isFhirId(value) ? value : undefined;
}

const extensionValue = <K extends keyof ExtensionInput>(extensions: readonly ExtensionInput[] | undefined, url: string, key: K): ExtensionInput[K] | undefined =>
  extensions?.find((extension) => extension.url === url)?.[key];

/** The store's first objection to a mapped reading (its own message key and parameters), placed at the FHIR path it came from. */
function storeProblem(error: z.ZodError, valuePath: string): Problem {
  const [problem] = validationProblems(error);
  const field = problem?.path.split('.')[0];
  const path = field === 'value' ? `${valuePath}.value` : field === 'comparator' ? `${valuePath}.comparator` : field === 'effectiveAt' ? 'Observation.effectiveDateTime' : 'Observation';
  const key = problem?.key ?? observationValidationKeys.invalid;
  return problem?.params === undefined ? { path, key } : { path, key, params: problem.params };
}

export async function readingsFromFhir(input: ObservationInput, context: ReadingsImportContext): Promise<ReadingsMapping> {
  if (!keptStatuses.has(input.status)) return { kind: 'skipped', reason: 'notFinal' };
  if ((input.code.coding ?? []).some((coding) => coding.code !== undefined && news2Codes.has(coding.code))) return { kind: 'skipped', reason: 'computedHere' };

  const effectiveAt = input.effectiveDateTime ?? input.effectiveInstant ?? input.effectivePeriod?.start;
  // A day alone cannot place a reading among the others: the workstation keeps the moment.
  if (effectiveAt === undefined || effectiveAt.length <= 10) return { kind: 'problem', problem: { path: 'Observation.effectiveDateTime', key: problem.noTime } };
  const performer = input.performer?.map((reference) => /^Practitioner\/([A-Za-z0-9\-.]{1,64})$/.exec(reference.reference ?? '')?.[1]).find((id) => id !== undefined);
  const device = context.device;
  const common = {
    patientId: context.patientId,
    effectiveAt,
    recordedAt: input.issued ?? effectiveAt,
    recordedBy: performer ?? context.importedBy,
  };
  const sourceOf = (extensions: readonly ExtensionInput[] | undefined) => (device === undefined ? { type: 'manual' as const } : { type: 'device' as const, device, raw: rawFrame(extensions) });
  const idOf = async (index: number, half?: string) => readingIdIn(input.identifier, index) ?? (await derivedId('obs', 'fhir-import', context.sourceKey, ...(half === undefined ? [] : [half])));

  const isPanel = loincCodes(input.code.coding).some((code) => bloodPressurePanels.has(code));
  if (isPanel) {
    const readings: RecordedObservation[] = [];
    for (const half of ['systolic', 'diastolic'] as const) {
      const at = (input.component ?? []).findIndex((component) => kindOf(component.code.coding) === half);
      if (at < 0) return { kind: 'problem', problem: { path: 'Observation.component', key: problem.bloodPressureHalves } };
      const component = input.component![at]!;
      const path = `Observation.component[${at}].valueQuantity`;
      const value = valueOf(half, component.valueQuantity, path);
      if (!('value' in value)) return { kind: 'problem', problem: value };
      const ownId = extensionValue(component.extension, EXTENSION.readingId, 'valueIdentifier')?.value;
      const candidate = {
        ...common,
        id: ownId !== undefined && isFhirId(ownId) ? ownId : await idOf(readings.length, half),
        kind: half,
        code: vitals[half].loinc,
        value: value.value,
        unit: vitals[half].unit,
        source: sourceOf(component.extension),
      };
      const parsed = observationSchema.safeParse(candidate);
      if (!parsed.success) return { kind: 'problem', problem: storeProblem(parsed.error, path) };
      readings.push(parsed.data);
    }
    return { kind: 'readings', readings };
  }

  const kind = kindOf(input.code.coding);
  if (kind === undefined) return { kind: 'skipped', reason: 'notKept' };
  const id = await idOf(0);
  if (kind === 'consciousness') {
    const letter = input.valueCodeableConcept?.coding?.find((coding) => coding.system === ACVPU)?.code;
    const candidate = { ...common, id, kind, code: consciousnessCode.loinc, value: letter, source: sourceOf(input.extension) };
    const parsed = observationSchema.safeParse(candidate);
    if (!parsed.success) return { kind: 'problem', problem: { path: 'Observation.valueCodeableConcept', key: problem.consciousnessValue } };
    return { kind: 'readings', readings: [parsed.data] };
  }
  const value = valueOf(kind, input.valueQuantity, 'Observation.valueQuantity');
  if (!('value' in value)) return { kind: 'problem', problem: value };
  const comparator = comparatorOf(input.valueQuantity);
  // A value beyond a meter's range is only a limit: without the meter it came from, it would read as a measurement.
  if (comparator !== undefined && device === undefined) return { kind: 'problem', problem: { path: 'Observation.valueQuantity.comparator', key: problem.comparatorNeedsDevice } };
  const onOxygen = extensionValue(input.extension, EXTENSION.onOxygen, 'valueBoolean');
  const spo2Scale = extensionValue(input.extension, EXTENSION.spo2Scale, 'valueInteger');
  const candidate = {
    ...common,
    id,
    kind,
    code: vitals[kind].loinc,
    value: value.value,
    unit: vitals[kind].unit,
    source: sourceOf(input.extension),
    ...(comparator === undefined ? {} : { comparator }),
    ...(kind === 'spo2' && onOxygen !== undefined ? { onOxygen } : {}),
    ...(kind === 'spo2' && spo2Scale !== undefined ? { spo2Scale } : {}),
  };
  const parsed = observationSchema.safeParse(candidate);
  if (!parsed.success) return { kind: 'problem', problem: storeProblem(parsed.error, 'Observation.valueQuantity') };
  return { kind: 'readings', readings: [parsed.data] };
}
