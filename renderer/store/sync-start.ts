import { startClinicSync, type ClinicSync } from '../../sync/client/clinic-sync';
import type { HubApi } from './enrollment';
import type { StoreServices } from './store-services';

export interface SyncStartOptions {
  /** Tests replicate in one process without RxDB's leader election; a real window always elects. */
  waitForLeadership?: boolean;
  /** Pause after a failed sync attempt (the fault tests shorten it). */
  retryMs?: number;
  /** Whether someone is using the screens now (sync/client/hub-fetch.ts `idlePullFactor`). */
  screensInUse?: () => boolean;
}

const lastSyncedKey = 'last-synced-at';
const emptyStretchesKey = 'sync-empty-stretches';

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/**
 * Starts replication when this workstation is linked to a hub of its clinic
 * (undefined otherwise); it runs while locked too, so staff accounts and
 * records arrive before anyone logs in.
 */
export async function startStoreSync(services: StoreServices, api: HubApi, options: SyncStartOptions = {}): Promise<ClinicSync | undefined> {
  const { local, keyring, keptAside, db } = services;
  const link = await api.call('hub.status', {});
  const clinic = await keyring.identity();
  if (!link.linked || !clinic || clinic.clinicId !== link.clinicId) return undefined;
  const last = Number(await local.get(lastSyncedKey));
  const stretches = await local.get(emptyStretchesKey);
  return startClinicSync({
    collections: {
      records: { collection: db.records, guardPulled: (arrival) => keptAside.guardPulled(arrival) },
      staff: { collection: db.staff, guardPulled: (arrival) => keptAside.guardPulledStaff(arrival) },
      facilities: { collection: db.facilities },
    },
    hubId: link.hubId,
    databases: link.databases,
    call: (request) => api.call('hub.request', request),
    clockNode: clinic.workstationId,
    observeClock: (hlc) => services.clock.observe(hlc),
    lastSyncedAt: Number.isFinite(last) && last > 0 ? last : null,
    saveLastSyncedAt: (ms) => void local.put(lastSyncedKey, String(ms)).catch(() => undefined),
    // Checked against its schema by the sync client; a damaged entry only means one full rescan.
    emptyStretches: { saved: parseJson(stretches), save: (value) => void local.put(emptyStretchesKey, JSON.stringify(value)).catch(() => undefined) },
    waitForLeadership: options.waitForLeadership ?? true,
    ...(options.retryMs !== undefined ? { retryTimeMs: options.retryMs } : {}),
    ...(options.screensInUse ? { screensInUse: options.screensInUse } : {}),
  });
}
