// Allowed: a type-only re-export of electron outside main/electron.
export type { Session } from 'electron';
