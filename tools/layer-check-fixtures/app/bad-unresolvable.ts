// not-to-unresolvable: ./does-not-exist
import { nothing } from './does-not-exist';

export const n = nothing;
