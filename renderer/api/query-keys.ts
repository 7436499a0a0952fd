/** TanStack Query keys shared by the screens that read the same data. */
export const queryKeys = {
  settings: ['settings.get'],
  systemInfo: ['system.info'],
  /** This workstation's hub link (no patient data). */
  hubStatus: ['hub.status'],
} as const;
