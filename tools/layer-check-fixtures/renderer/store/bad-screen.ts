// Forbidden: the store reaching up into a screen (the data worker has no DOM).
import { x } from '../x';
export const w = x;
