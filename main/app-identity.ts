// Injected at build time by scripts/build-main.mjs (and by vitest's define).
declare const __APP_NAME__: string;
declare const __APP_VERSION__: string;

export const appIdentity = { appName: __APP_NAME__, appVersion: __APP_VERSION__ } as const;
