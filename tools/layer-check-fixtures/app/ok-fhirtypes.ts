// Allowed: app/ types its FHIR mapping with @medplum/fhirtypes (types only, nothing bundled).
import type { Observation } from '@medplum/fhirtypes';

export const status = (observation: Observation): string => observation.status;
