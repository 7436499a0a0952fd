// sync-protocol-only-imports-app: the protocol may not build on one of its sides (here the hub)
import { serve } from '../server';

export const served = serve;
