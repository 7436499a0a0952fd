// Allowed: test files may use vitest and Node built-ins.
import { sep } from 'node:path';
import { expect, test } from 'vitest';
import { helper } from './helper';

test('layer-check fixture: an app/ test may import Node built-ins', () => {
  expect(helper(` a${sep} `)).toBe(`a${sep}`);
});
