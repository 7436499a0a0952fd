// renderer-only-imports-app-and-sync-client: ../sync/server (not sync/client)
import { serve } from '../sync/server';

export const s = serve;
