// sync-only-imports-app: ../device-bridge/x
import { readDevice } from '../device-bridge/x';

export const read = readDevice;
