// device-bridge-only-imports-app: ../renderer/x
import { x } from '../renderer/x';

export const y = x;
