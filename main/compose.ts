import { join } from 'node:path';
import { createDispatcher, type Dispatcher } from './api/dispatcher';
import { createHandlers } from './api/handlers';
import type { Logger } from './log';
import { createSettingsStore } from './services/settings-store';
import { createSystemInfoService, type SystemInfoSource } from './services/system-info';

export interface WorkstationOptions {
  dataDir: string;
  log: Logger;
  system: Omit<SystemInfoSource, 'startedAt' | 'now'>;
}

/**
 * Builds every main-process service from plain arguments, so the same wiring
 * runs in Electron, in the browser-mode host and under plain Node in tests.
 */
export function createWorkstation(options: WorkstationOptions): { dispatcher: Dispatcher } {
  const services = {
    systemInfo: createSystemInfoService({ ...options.system, startedAt: new Date(), now: () => new Date() }),
    settings: createSettingsStore(join(options.dataDir, 'settings.json'), options.log),
  };
  return { dispatcher: createDispatcher(createHandlers(services), options.log) };
}
