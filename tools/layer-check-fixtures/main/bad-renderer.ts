// main-not-to-renderer: ../renderer/x
import { x } from '../renderer/x';

export const y = x;
