import { Fhir } from 'fhir';
import type { FhirProblem } from './validators-problem';

/**
 * The `fhir` package's validator (FHIR.js, base R4 with its value sets): the
 * second opinion, which checks required code bindings (`status: 'finall'`)
 * that Medplum's validator does not. It knows no profiles, and its date
 * patterns are unanchored, so it passes `2025-13-99`.
 */

let fhir: Fhir | undefined;

/** Loads the package's R4 types and value sets, once. */
export function loadFhirPackage(): Fhir {
  fhir ??= new Fhir();
  return fhir;
}

export function fhirPackageProblems(resource: object): FhirProblem[] {
  // Unexpected properties are errors, as FHIR's JSON rules say ("unknown
  // elements are an error"), not the package's default warnings.
  const { messages } = loadFhirPackage().validate(resource, { errorOnUnexpected: true });
  return messages.flatMap(({ severity: reported, location, message }): FhirProblem[] => {
    const level: string | undefined = reported;
    const severity = level === 'error' || level === 'fatal' ? 'error' : level === 'warning' ? 'warning' : undefined;
    // 'info' notes (such as a value set it does not have) are not problems.
    if (severity === undefined) return [];
    return [{ severity, path: location ?? '', message: message ?? 'invalid', validator: 'fhir' }];
  });
}
