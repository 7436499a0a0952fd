import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Observation, OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { r4Definitions, type VitalSignProfiles } from './validators-definitions';
import { profileQuantityProblems } from './validators-profile-quantities';
import type { FhirProblem, FhirValidatorName } from './validators-problem';

/**
 * Medplum's validator (@medplum/core `validateResource`): cardinality,
 * datatypes, invariants and slicing, against the R4 base definitions and,
 * for a vital-sign Observation, its vital-signs profile (with the profile's
 * quantity rules, which Medplum skips, checked by
 * validators-profile-quantities.ts). It checks no code bindings, no UCUM
 * units and no calendar dates: validators.ts adds those.
 */

const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const LOINC = 'http://loinc.org';

/** Problems against the R4 base definitions, then against each profile the resource must meet, each reported once. */
export function medplumProblems(resource: Resource): FhirProblem[] {
  const definitions = r4Definitions();
  const problems = run('medplum', () => validateResource(resource));
  const seen = new Set(problems.map(sameProblem));
  for (const profile of profilesFor(resource, definitions)) {
    // A profile repeats every base rule it inherits: report those once, as the base's.
    const validator = profileName(profile.url);
    const quantities = resource.resourceType === 'Observation' ? profileQuantityProblems(resource, profile, validator) : [];
    for (const problem of [...run(validator, () => validateResource(resource, { profile })), ...quantities]) {
      if (!seen.has(sameProblem(problem))) problems.push(problem);
      seen.add(sameProblem(problem));
    }
  }
  for (const url of unknownProfiles(resource, definitions)) {
    problems.push({
      severity: 'warning',
      path: `${resource.resourceType}.meta.profile`,
      message: `${url} is not a profile this validator has (it has FHIR’s vital-signs profiles), so the resource was not checked against it`,
      validator: profileName(url),
    });
  }
  return problems;
}

/**
 * The vital-signs profiles an Observation must meet: those its meta.profile
 * claims, and the one FHIR R4 requires for its LOINC code ("if an
 * Observation uses a code from the vital signs result value set, it SHALL
 * conform"); FHIR's base vital-signs profile when it is a vital sign
 * (category vital-signs, or either of those) but no specific one applies.
 */
function profilesFor(resource: Resource, { base, byUrl, byLoinc }: VitalSignProfiles): StructureDefinition[] {
  if (resource.resourceType !== 'Observation') return [];
  const claimed = claimedProfiles(resource).flatMap((url) => byUrl.get(url) ?? []);
  const byCode = (resource.code?.coding ?? []).flatMap((coding) => (coding.system === LOINC && coding.code !== undefined ? (byLoinc.get(coding.code) ?? []) : []));
  const specific = [...new Set([...claimed, ...byCode])];
  if (specific.some((profile) => profile !== base)) return specific.filter((profile) => profile !== base);
  return specific.length > 0 || hasVitalSignsCategory(resource) ? [base] : [];
}

function hasVitalSignsCategory(observation: Observation): boolean {
  return (observation.category ?? []).some((category) => (category.coding ?? []).some((coding) => coding.system === OBSERVATION_CATEGORY && coding.code === 'vital-signs'));
}

/** meta.profile URLs, without a `|version` suffix. */
function claimedProfiles(resource: Resource): string[] {
  return (resource.meta?.profile ?? []).map((url) => url.split('|')[0] ?? url);
}

function unknownProfiles(resource: Resource, { byUrl }: VitalSignProfiles): string[] {
  return claimedProfiles(resource).filter((url) => !byUrl.has(url));
}

/** `profile:oxygensat` for http://hl7.org/fhir/StructureDefinition/oxygensat. */
function profileName(url: string): FhirValidatorName {
  return `profile:${url.slice(url.lastIndexOf('/') + 1)}`;
}

const sameProblem = ({ severity, path, message }: FhirProblem): string => `${severity}\u0000${path}\u0000${message}`;

/**
 * Runs one validation. Medplum's `validateResource` returns only warnings and
 * throws an OperationOutcomeError carrying every issue when any is an error;
 * anything else it throws (its own failure on input it did not expect) is
 * reported as an error at the resource rather than ending a whole run.
 */
function run(validator: FhirValidatorName, validate: () => OperationOutcomeIssue[]): FhirProblem[] {
  let issues: OperationOutcomeIssue[];
  try {
    issues = validate();
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) {
      return [{ severity: 'error', path: '', message: `Medplum’s validator failed: ${error instanceof Error ? error.message : String(error)}`, validator }];
    }
    issues = error.outcome.issue ?? [];
  }
  return issues.flatMap((issue): FhirProblem[] => {
    const severity = issue.severity === 'error' || issue.severity === 'fatal' ? 'error' : issue.severity === 'warning' ? 'warning' : undefined;
    // Information-level notes are not problems.
    if (severity === undefined) return [];
    return [{ severity, path: issue.expression?.[0] ?? '', message: issue.details?.text ?? issue.diagnostics ?? issue.code, validator }];
  });
}
