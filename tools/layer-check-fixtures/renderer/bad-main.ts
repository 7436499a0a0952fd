// renderer-only-imports-app-and-sync-client: ../main/ok-compose
import { compose } from '../main/ok-compose';

export const c = compose;
