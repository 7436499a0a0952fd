/**
 * One problem a FHIR validator found in a resource, in the shape the tests,
 * the `clinic-fhir validate` command and the loopback test server all report.
 */

/**
 * Which check found it: Medplum's validator against the R4 base definitions,
 * the `fhir` package's validator, our own UCUM and calendar checks (both
 * validators miss those), or Medplum's validator against one profile, named
 * by the last segment of its URL (`profile:oxygensat`).
 */
export type FhirValidatorName = 'medplum' | 'fhir' | 'ucum' | 'dates' | `profile:${string}`;

export interface FhirProblem {
  severity: 'error' | 'warning';
  /** A FHIRPath-style location, such as `Observation.valueQuantity.code` or `Patient.name[0].given`. */
  path: string;
  message: string;
  validator: FhirValidatorName;
}
