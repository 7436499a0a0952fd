// sync-client-no-node-builtins: node:crypto
import { randomUUID } from 'node:crypto';

export const id = randomUUID;
