// no-medplum-core-in-browser-code: @medplum/core even for types; FHIR types come from @medplum/fhirtypes
import type { TypedValue } from '@medplum/core';

export type Value = TypedValue;
