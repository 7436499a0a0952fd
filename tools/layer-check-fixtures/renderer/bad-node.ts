// renderer-no-node-builtins: node:path
import { join } from 'node:path';

export const joined = join('a', 'b');
