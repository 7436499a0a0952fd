// device-bridge-only-imports-app: ../sync/server
import { serve } from '../sync/server';

export const s = serve;
