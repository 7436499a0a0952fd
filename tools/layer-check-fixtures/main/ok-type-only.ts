// Allowed: a type-only import of electron outside main/electron.
import type { WebContents } from 'electron';

export const title = (contents: WebContents): string => contents.getTitle();
