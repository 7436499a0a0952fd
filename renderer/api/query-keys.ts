/** TanStack Query keys shared by the screens that read the same data. */
export const queryKeys = {
  settings: ['settings.get'],
  systemInfo: ['system.info'],
} as const;
