// Allowed: a benchmark may use test support and the code it measures.
import { fakeClock } from './test-support';
import { compose } from './ok-compose';

export const timing = (): unknown => [fakeClock(), compose];
