// app-only-imports-app: ../shared/x (a top-level folder that is not a layer)
import { shared } from '../shared/x';

export const s = shared;
