import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ClinicSync, SyncStatus } from '../../sync/client/clinic-sync';
import { useApi, useConnectionState } from '../api/ApiContext';
import { queryKeys } from '../api/query-keys';
import { phiKey, useVault, useVaultState } from '../vault/VaultContext';

interface SyncContextValue {
  /** null while this workstation is not linked to a hub of its clinic (or sync has not started yet). */
  status: SyncStatus | null;
  /** Starts sync again after the link changed (a clinic that started offline was connected to a hub). */
  restart: () => void;
}

const SyncContext = createContext<SyncContextValue | null>(null);

/** After a failed look at the link (the workstation service was restarting), try again this much later. */
const retryMs = 5000;

/**
 * Runs the clinic's sync with its hub for as long as the app is open: from
 * the start (it runs while locked too, so staff accounts and records arrive
 * before anyone logs in), and again whenever a clinic appears here (joined or
 * set up) or `restart()` is called. Also tells open screens to refetch when
 * records change, which is how pulled edits reach them.
 */
export function SyncProvider({ children }: { children: ReactNode }) {
  const vault = useVault();
  const api = useApi();
  const queryClient = useQueryClient();
  const hasClinic = useVaultState().status !== 'no-clinic';
  // Calls fail at once while the service is not connected; once it was, sync owns its own retries.
  const connected = useConnectionState() === 'connected';
  const [ready, setReady] = useState(connected);
  if (connected && !ready) setReady(true);
  const [generation, setGeneration] = useState(0);
  const [status, setStatus] = useState<SyncStatus | null>(null);
  // One replication at a time: the next start waits until the previous one has stopped.
  const previousStop = useRef<Promise<unknown>>(Promise.resolve());

  useEffect(() => {
    if (!ready) return;
    let cancelled = false;
    let running: ClinicSync | undefined;
    let unsubscribe: (() => unknown) | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const started = previousStop.current
      .then(() => (cancelled ? undefined : vault.hub.startSync(api)))
      .then(async (sync) => {
        if (cancelled) return sync?.stop();
        running = sync;
        // Also refreshes what Settings shows about the link.
        void queryClient.invalidateQueries({ queryKey: queryKeys.hubStatus });
        setStatus(sync ? sync.status() : null);
        unsubscribe = sync?.subscribe(setStatus);
      })
      .catch(() => {
        if (cancelled) return;
        setStatus(null);
        retry = setTimeout(() => setGeneration((n) => n + 1), retryMs);
      });
    return () => {
      cancelled = true;
      clearTimeout(retry);
      unsubscribe?.();
      previousStop.current = started.then(() => running?.stop()).catch(() => undefined);
    };
  }, [vault, api, queryClient, ready, hasClinic, generation]);

  useEffect(() => vault.onRecordsChanged(() => void queryClient.invalidateQueries({ queryKey: [phiKey] })), [vault, queryClient]);

  const restart = useCallback(() => setGeneration((n) => n + 1), []);
  const value = useMemo(() => ({ status, restart }), [status, restart]);
  return <SyncContext.Provider value={value}>{children}</SyncContext.Provider>;
}

function useSyncContext(): SyncContextValue {
  const context = useContext(SyncContext);
  if (!context) throw new Error('SyncProvider is missing');
  return context;
}

/** The hub sync's status, or null when this workstation is not linked. */
export const useSyncStatus = (): SyncStatus | null => useSyncContext().status;

export const useSyncRestart = (): (() => void) => useSyncContext().restart;
