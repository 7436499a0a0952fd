import type { SyncStatus } from '../../app/contract/sync-status';
import type { ClinicSync } from '../../sync/client/clinic-sync';
import type { HubApi, Vault } from '../store/vault';

/** After a failed look at the link (the workstation service was restarting), try again this much later. */
const retryMs = 5000;

export interface SyncLifecycle {
  /** Starts sync again (the hub link changed); one replication at a time, the next after the previous stopped. */
  restart(): void;
  stop(): Promise<void>;
}

/**
 * Runs the clinic's sync with its hub for as long as the data worker lives:
 * from the start (it runs while locked too, so staff accounts and records
 * arrive before anyone logs in), again whenever a clinic appears here
 * (joined or set up), and on `restart()`. `onStatus` hears every status,
 * and null while this workstation is not linked to a hub of its clinic.
 */
export function startSyncLifecycle(vault: Vault, hub: HubApi & { connected(): Promise<void> }, onStatus: (status: SyncStatus | null) => void): SyncLifecycle {
  let generation = 0;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<ClinicSync | undefined> = Promise.resolve(undefined);
  let unsubscribe: (() => void) | undefined;

  function restart(): void {
    const mine = ++generation;
    clearTimeout(retry);
    unsubscribe?.();
    unsubscribe = undefined;
    const previous = current;
    current = previous
      .then((running) => running?.stop())
      .catch(() => undefined)
      // Calls fail at once while the main process is not connected; once it was, sync owns its own retries.
      .then(() => hub.connected())
      .then(() => (stopped || mine !== generation ? undefined : vault.hub.startSync(hub)))
      .then(
        (sync) => {
          if (stopped || mine !== generation) {
            void sync?.stop();
            return undefined;
          }
          onStatus(sync ? sync.status() : null);
          unsubscribe = sync?.subscribe(onStatus);
          return sync;
        },
        () => {
          if (!stopped && mine === generation) {
            onStatus(null);
            retry = setTimeout(restart, retryMs);
          }
          return undefined;
        },
      );
  }

  let hadClinic = vault.state.status !== 'no-clinic';
  const stopWatching = vault.subscribe((state) => {
    const hasClinic = state.status !== 'no-clinic';
    if (hasClinic && !hadClinic) restart();
    hadClinic = hasClinic;
  });
  restart();

  return {
    restart,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      stopWatching();
      unsubscribe?.();
      await (await current.catch(() => undefined))?.stop();
    },
  };
}
