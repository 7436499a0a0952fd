// no-test-framework-in-product: vitest from a non-test file
import { expect } from 'vitest';

export const check = expect;
