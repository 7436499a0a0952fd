// not-to-dev-only: ../scripts/helper
import { scriptHelper } from '../scripts/helper';

export const s = scriptHelper;
