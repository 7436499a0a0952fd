// Allowed: app/, device-bridge/, sync/, Node built-ins, Node-only packages.
import { join } from 'node:path';
import { helper } from '../app/helper';
import { readDevice } from '../device-bridge/x';
import { serve } from '../sync/server';

export const compose = (): string => {
  serve();
  return helper(readDevice(join('a', 'b')));
};
