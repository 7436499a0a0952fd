import type { ContributionQueue } from '../odh/contribution-queue';
import { ApiError } from '../../app/contract/errors';
import type { DeviceManager } from '../../device-bridge/device-manager';
import type { DownloadTickets } from '../export/download-tickets';
import type { ExportFiles } from '../export/export-files';
import type { FhirClient } from '../fhir/fhir-client';
import type { FhirServerSettings } from '../fhir/fhir-server-settings';
import type { Hl7EndpointSettings } from '../hl7/hl7-endpoint-settings';
import type { MllpSender } from '../hl7/mllp-sender';
import type { HubLinkService } from '../hub/hub-link';
import type { RegionService } from '../region/region-service';
import type { TileArchive } from '../region/tile-archive';
import type { SettingsStore } from '../services/settings-store';
import type { createSystemInfoService } from '../services/system-info';
import type { Handlers } from './dispatcher';

export interface Services {
  systemInfo: ReturnType<typeof createSystemInfoService>;
  settings: SettingsStore;
  devices: DeviceManager;
  hub: HubLinkService;
  exports: ExportFiles;
  downloads: DownloadTickets;
  fhirServer: FhirServerSettings;
  fhir: FhirClient;
  hl7Endpoint: Hl7EndpointSettings;
  mllp: MllpSender;
  odhQueue: ContributionQueue;
  region: RegionService;
  tiles: TileArchive;
}

/** Binds each contract method to the service that answers it. */
export function createHandlers(services: Services): Handlers {
  return {
    'system.ping': ({ nonce }) => ({ nonce, receivedAt: new Date().toISOString() }),
    'system.info': (_params, ctx) => services.systemInfo.info(ctx.transport),
    'settings.get': () => services.settings.get(),
    'settings.update': (patch) => services.settings.update(patch),
    'devices.list': () => ({ devices: services.devices.list() }),
    'devices.start': async ({ deviceId, driver }) => {
      try {
        return { runId: await services.devices.start(deviceId, driver) };
      } catch (error) {
        // The manager's refusals are plain words about the device, never patient data.
        throw new ApiError({ code: 'unavailable', message: error instanceof Error ? error.message : 'That device cannot be read now.' });
      }
    },
    'devices.stop': async ({ runId }) => {
      await services.devices.stop(runId);
      return {};
    },
    'hub.status': () => services.hub.status(),
    'hub.enroll': (params) => services.hub.enroll(params),
    'hub.issueCode': (params) => services.hub.issueCode(params),
    'hub.unlink': (params) => services.hub.unlink(params.workstationId),
    'hub.request': (params) => services.hub.request(params),
    'export.open': ({ format }) => services.exports.open(format),
    'export.append': ({ exportId, file, offset, text }) => services.exports.append(exportId, file, offset, text),
    'fhirServer.get': () => services.fhirServer.get(),
    'fhirServer.set': (input) => services.fhirServer.set(input),
    'fhirServer.test': () => services.fhir.capabilities(),
    'fhirServer.transaction': ({ bundle }) => services.fhir.transaction(bundle),
    'hl7Endpoint.get': () => services.hl7Endpoint.get(),
    'hl7Endpoint.set': async (input) => {
      const summary = await services.hl7Endpoint.set(input);
      // The next message goes to the new endpoint, not down the old connection.
      await services.mllp.close();
      return summary;
    },
    'hl7Endpoint.test': async () => (await services.mllp.test(), {}),
    'hl7.send': ({ message }) => services.mllp.send(message),
    'odh.enqueue': async ({ items }) => ({ ids: await services.odhQueue.enqueue(items) }),
    'odh.status': () => services.odhQueue.status(),
    'region.status': () => services.region.status(),
    'region.refresh': () => services.region.refresh(),
    'region.route': (params) => services.region.route(params),
    'region.rank': (params) => services.region.rank(params),
    'region.basemap': (params) => services.region.basemap(params),
    'region.tiles': () => services.tiles.status(),
    'region.tilesAdd': (params) => services.tiles.add(params),
    'region.tilesRemove': () => services.tiles.remove(),
    'region.tilesRead': (params) => services.tiles.read(params),
    'export.download': async ({ exportId }) => {
      await services.exports.folder(exportId);
      return { path: `/downloads/${services.downloads.issue(exportId)}` };
    },
    'export.rewind': async ({ exportId, sizes }) => {
      await services.exports.rewind(exportId, sizes);
      return {};
    },
  } satisfies Handlers;
}
