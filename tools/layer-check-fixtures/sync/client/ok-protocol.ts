// Allowed: the sync client builds on the shared wire protocol.
import { databaseName } from '../protocol/ok';

export const records = databaseName('clinic-a');
