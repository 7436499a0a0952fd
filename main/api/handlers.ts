import type { SettingsStore } from '../services/settings-store';
import type { createSystemInfoService } from '../services/system-info';
import type { Handlers } from './dispatcher';

export interface Services {
  systemInfo: ReturnType<typeof createSystemInfoService>;
  settings: SettingsStore;
}

/** Binds each contract method to the service that answers it. */
export function createHandlers(services: Services): Handlers {
  return {
    'system.ping': ({ nonce }) => ({ nonce, receivedAt: new Date().toISOString() }),
    'system.info': (_params, ctx) => services.systemInfo.info(ctx.transport),
    'settings.get': () => services.settings.get(),
    'settings.update': (patch) => services.settings.update(patch),
  } satisfies Handlers;
}
