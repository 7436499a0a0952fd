import { createContributionQueue } from './odh/contribution-queue';
import { join } from 'node:path';
import { createDispatcher, type Dispatcher } from './api/dispatcher';
import { createHandlers } from './api/handlers';
import { eventEnvelope, type EventEnvelope } from '../app/contract/envelope';
import { createDeviceManager, type DeviceManagerOptions } from '../device-bridge/device-manager';
import { createDownloadTickets } from './export/download-tickets';
import { createExportFiles } from './export/export-files';
import { createFhirClient } from './fhir/fhir-client';
import { createFhirServerSettings } from './fhir/fhir-server-settings';
import { createHl7EndpointSettings } from './hl7/hl7-endpoint-settings';
import { createMllpSender } from './hl7/mllp-sender';
import { createHubLink } from './hub/hub-link';
import { createRegionService } from './region/region-service';
import { createTileArchive } from './region/tile-archive';
import type { Logger } from '../app/log/logger';
import { createSettingsStore } from './services/settings-store';
import { createSystemInfoService, type SystemInfoSource } from './services/system-info';

export interface WorkstationOptions {
  dataDir: string;
  log: Logger;
  system: Omit<SystemInfoSource, 'startedAt' | 'now'>;
  /** Where devices are found: the real libraries in production, simulators and scripted HID in tests. */
  devices: DeviceManagerOptions;
  /** Electron: asks the admin where a new export goes (export-files.ts); browser mode keeps exports under the data folder. */
  chooseExportPlace?: () => Promise<string | undefined>;
}

export interface Workstation {
  dispatcher: Dispatcher;
  /** Events of every topic, enveloped, for the transports to pass on to the screen as they are. */
  subscribe(listener: (envelope: EventEnvelope) => void): () => void;
  /** The export folder a download ticket opens, once (browser mode's zip download, main/host/export-download.ts). */
  redeemDownload(ticket: string): Promise<{ exportId: string; folder: string } | undefined>;
  close(): Promise<void>;
}

/**
 * Builds every main-process service from plain arguments, so the same wiring
 * runs in Electron, in the browser-mode host and under plain Node in tests.
 */
export async function createWorkstation(options: WorkstationOptions): Promise<Workstation> {
  const devices = createDeviceManager(options.devices);
  await devices.watch();
  const fhirServer = createFhirServerSettings(join(options.dataDir, 'fhir-server.json'));
  const hl7Endpoint = createHl7EndpointSettings(join(options.dataDir, 'hl7-endpoint.json'));
  const hub = createHubLink({ file: join(options.dataDir, 'hub-link.json'), log: options.log });
  const odhQueue = createContributionQueue({ dir: join(options.dataDir, 'odh-queue'), send: (item) => hub.odhSend(item), log: options.log });
  // Items the last run could not send go now; a newer road graph, if the hub has one, comes now.
  void odhQueue.drain();
  const region = createRegionService({ dir: join(options.dataDir, 'region'), hub, log: options.log });
  void region.refresh();
  const services = {
    systemInfo: createSystemInfoService({ ...options.system, startedAt: new Date(), now: () => new Date() }),
    settings: createSettingsStore(join(options.dataDir, 'settings.json'), options.log),
    devices,
    hub,
    exports: createExportFiles(join(options.dataDir, 'exports'), options.chooseExportPlace ? { choosePlace: options.chooseExportPlace } : {}),
    downloads: createDownloadTickets(),
    fhirServer,
    fhir: createFhirClient(fhirServer),
    hl7Endpoint,
    mllp: createMllpSender(hl7Endpoint),
    odhQueue,
    region,
    tiles: createTileArchive({ dir: join(options.dataDir, 'region'), log: options.log }),
  };
  const redeemDownload = async (ticket: string) => {
    const exportId = services.downloads.redeem(ticket);
    return exportId === undefined ? undefined : { exportId, folder: await services.exports.folder(exportId) };
  };
  return { dispatcher: createDispatcher(createHandlers(services), options.log), subscribe: (listener) => devices.subscribe((event) => listener(eventEnvelope('devices', event))), redeemDownload, close: async () => (odhQueue.close(), region.close(), await services.mllp.close(), await devices.close()) };
}
