// Allowed: app/, Node built-ins, Node-only packages.
import { readFileSync } from 'node:fs';
import { helper } from '../app/helper';

export const readDevice = (file: string): string => helper(readFileSync(file, 'utf8'));
