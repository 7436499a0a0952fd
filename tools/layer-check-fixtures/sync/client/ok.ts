// Allowed: app/ and browser-safe code.
import { helper } from '../../app/helper';

export const pull = async (): Promise<string> => helper(await Promise.resolve(' pulled '));
