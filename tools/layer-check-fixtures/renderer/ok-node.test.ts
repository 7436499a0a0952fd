// Allowed: test files may use vitest and Node built-ins.
import { sep } from 'node:path';
import { expect, test } from 'vitest';
import { x } from './x';

test('layer-check fixture: a renderer/ test may import Node built-ins', () => {
  expect(`${x}${sep}`).toHaveLength(2);
});
