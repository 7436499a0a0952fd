import type { Resource } from '@medplum/fhirtypes';
import { r4Definitions } from './validators-definitions';
import { fhirPackageProblems, loadFhirPackage } from './validators-fhir-package';
import { medplumProblems } from './validators-medplum';
import type { FhirProblem } from './validators-problem';
import { valueProblems } from './validators-values';

export type { FhirProblem, FhirValidatorName } from './validators-problem';

/**
 * Every check a FHIR resource we export or import must pass, in one call:
 * Medplum's validator against the R4 definitions (and the vital-signs
 * profile of a vital-sign Observation), the `fhir` package's validator, and
 * our UCUM and calendar-date checks. Measured: Medplum misses bad code values
 * and non-UCUM units, `fhir` misses impossible dates and every profile rule,
 * and each catches something the other misses, so both run.
 *
 * Development only (tests, the `clinic-fhir` CLI, the loopback test server):
 * the definitions are 35 MB and the packages are development dependencies;
 * the layer check keeps them out of product code.
 *
 * A Bundle is checked as one resource: its entries get the base checks, not
 * their profiles; validate the entries one by one for those.
 */
export function validateFhir(resource: unknown): FhirProblem[] {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    // Medplum's first check ("Missing resource type"), which it cannot make on a non-object.
    return [{ severity: 'error', path: '', message: 'Not a FHIR resource: expected a JSON object with a resourceType', validator: 'medplum' }];
  }
  // Both validators take any object and report what is wrong with it;
  // typing it as a Resource only lets it reach them.
  const candidate = resource as Resource;
  return [...medplumProblems(candidate), ...fhirPackageProblems(candidate), ...valueProblems(candidate)];
}

/** Only the errors (a resource with none passes; warnings are advice). */
export function fhirErrors(resource: unknown): FhirProblem[] {
  return validateFhir(resource).filter((problem) => problem.severity === 'error');
}

/**
 * Loads both validators' definitions now rather than on the first
 * validation (over a second), so a caller can time or front-load it.
 */
export function loadFhirValidators(): void {
  r4Definitions();
  loadFhirPackage();
}
