import type { CodeableConcept, Coding, ElementDefinition, Observation, Quantity, StructureDefinition } from '@medplum/fhirtypes';
import type { FhirProblem, FhirValidatorName } from './validators-problem';

/**
 * What a vital-signs profile requires of an Observation's quantities, which
 * Medplum 4.5.2 does not check: it applies no element rules inside a slice,
 * so `value[x]:valueQuantity.code` = `%` (oxygensat) or
 * `component:SystolicBP.value[x].unit` 1..1 (bp) go unenforced, and SpO2 in
 * `/min` or a blood pressure without its unit passes. This checks the
 * required fields (value, unit, system, code) and their fixed values; the
 * unit value sets some profiles bind instead (bodyweight: kg, g, [lb_av])
 * are not checked.
 */

const FIELDS = ['value', 'unit', 'system', 'code'] as const;

interface FieldRule {
  field: (typeof FIELDS)[number];
  required: boolean;
  fixed: string | undefined;
}

export function profileQuantityProblems(observation: Observation, profile: StructureDefinition, validator: FhirValidatorName): FhirProblem[] {
  const elements = profile.snapshot?.element ?? [];
  const problems: FhirProblem[] = [];
  if (observation.valueQuantity !== undefined) {
    problems.push(...quantityProblems(observation.valueQuantity, rulesUnder(elements, 'Observation.value[x]:valueQuantity'), 'Observation.valueQuantity', validator));
  }
  // Component slices (bp's SystolicBP, DiastolicBP), each known by the coding its `code` must include.
  for (const slice of elements.filter((element) => /^Observation\.component:[^.]+$/.test(element.id ?? ''))) {
    const required = elements.find((element) => element.id === `${slice.id}.code`)?.patternCodeableConcept?.coding ?? [];
    const rules = rulesUnder(elements, `${slice.id}.value[x]`);
    (observation.component ?? []).forEach((component, index) => {
      if (required.length === 0 || !includesCodings(component.code, required) || component.valueQuantity === undefined) return;
      problems.push(...quantityProblems(component.valueQuantity, rules, `Observation.component[${index}].valueQuantity`, validator));
    });
  }
  return problems;
}

function rulesUnder(elements: ElementDefinition[], prefix: string): FieldRule[] {
  return FIELDS.flatMap((field) => {
    const element = elements.find((candidate) => candidate.id === `${prefix}.${field}`);
    if (element === undefined) return [];
    return [{ field, required: (element.min ?? 0) > 0, fixed: element.fixedCode ?? element.patternCode ?? element.fixedUri ?? element.patternUri }];
  });
}

function quantityProblems(quantity: Quantity, rules: FieldRule[], path: string, validator: FhirValidatorName): FhirProblem[] {
  return rules.flatMap(({ field, required, fixed }): FhirProblem[] => {
    const value = quantity[field];
    if (value === undefined) return required ? [{ severity: 'error', path: `${path}.${field}`, message: 'Missing: the profile requires it', validator }] : [];
    if (fixed !== undefined && value !== fixed) {
      return [{ severity: 'error', path: `${path}.${field}`, message: `“${String(value)}” where the profile requires “${fixed}”`, validator }];
    }
    return [];
  });
}

function includesCodings(code: CodeableConcept | undefined, required: Coding[]): boolean {
  return required.every((wanted) => (code?.coding ?? []).some((coding) => coding.system === wanted.system && coding.code === wanted.code));
}
