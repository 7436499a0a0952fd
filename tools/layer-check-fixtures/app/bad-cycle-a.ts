// no-circular: ./cycle-b (which imports this file back)
import { b } from './cycle-b';

export const a = (): string => b();
