// The other half of the cycle in bad-cycle-a.ts. dependency-cruiser reports a
// cycle once, on the first module it meets (bad-cycle-a.ts), so this file is
// not a bad-* file.
import { a } from './bad-cycle-a';

export const b = (): string => 'b';
export const callA = (): string => a();
