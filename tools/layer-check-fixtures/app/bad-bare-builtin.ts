// app-no-node-builtins: path (bare specifier, no node: prefix)
import { join } from 'path';

export const joined = join('a', 'b');
