// sync-only-imports-app: ../main/ok-compose
import { compose } from '../main/ok-compose';

export const c = compose;
