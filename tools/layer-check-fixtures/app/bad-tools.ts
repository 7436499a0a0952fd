// not-to-dev-only: ../tools/helper
import { toolHelper } from '../tools/helper';

export const t = toolHelper;
