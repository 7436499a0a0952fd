// sync-protocol-no-node-builtins: node:crypto (the sync client imports the protocol, in a browser page)
import { randomUUID } from 'node:crypto';

export const id = randomUUID;
