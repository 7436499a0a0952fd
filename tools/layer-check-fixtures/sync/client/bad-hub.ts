// sync-client-only-imports-app-and-protocol: the browser-side client may not import the hub's Node code
import { serve } from '../server';

export const served = serve;
