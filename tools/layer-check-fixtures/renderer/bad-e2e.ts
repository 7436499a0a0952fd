// not-to-dev-only: ../e2e/helper
import { e2eHelper } from '../e2e/helper';

export const h = e2eHelper;
