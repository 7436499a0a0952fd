// renderer-only-imports-app-and-sync-client: ../device-bridge/x
import { readDevice } from '../device-bridge/x';

export const read = readDevice;
