// no-medplum-core-in-browser-code: @medplum/core in the renderer's bundle
import { validateResource } from '@medplum/core';

export const validate = validateResource;
