import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionSummary, VaultState } from '../../app/contract/data-api';
import type { SyncStatus } from '../../app/contract/sync-status';
import { useConnection } from '../api/ApiContext';
import { queryKeys } from '../api/query-keys';
import type { DataClient, WorkerHealth } from './data-client';
import { startDataWorker } from './start-data-worker';

/** Query keys under this prefix hold decrypted data; they are removed whenever the vault locks. */
export const phiKey = 'phi';
/** The hub's facility directory as this workstation holds it (clear, not patient data): refetched when it changes, like records. */
export const facilitiesKey = ['facilities'] as const;

interface DataContextValue {
  client: DataClient;
  /** The state shown while a replacement worker opens the store (locked, as the stopped one's clinic). */
  fallback: VaultState;
  /** Set when a data worker stopped while someone was working, until the next unlock: who it was. */
  interrupted: SessionSummary | null;
}

const DataContext = createContext<DataContextValue | null>(null);

/**
 * Starts the data worker, which holds the encrypted store, the data key and
 * the hub sync, and gives every screen its client. If the worker stops (it
 * threw, or fell silent), a new one starts locked and the screens say so;
 * the page someone was working on stays, hidden behind the lock screen, so
 * what they typed is still there after they log in again.
 */
export function DataProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const connection = useConnection();
  const queryClient = useQueryClient();
  const [client, setClient] = useState<DataClient | null>(null);
  // Also what renders again when a worker first tells its state (until then the screens have nothing to show).
  const [health, setHealth] = useState<WorkerHealth>('starting');
  const [interrupted, setInterrupted] = useState<SessionSummary | null>(null);
  const [fallback, setFallback] = useState<VaultState>({ status: 'no-clinic' });
  const lastState = useRef<VaultState>({ status: 'no-clinic' });
  const interruptedSession = useRef<SessionSummary | null>(null);

  useEffect(() => {
    let cancelled = false;
    let current: DataClient | undefined;
    const start = () => {
      startDataWorker(connection).then(
        (started) => {
          if (cancelled) return started.close();
          current = started;
          setClient(started);
          started.onHealth((health) => {
            setHealth(health);
            if (health !== 'stopped' || cancelled) return;
            const last = lastState.current;
            if (last.status === 'unlocked') {
              interruptedSession.current = last.session;
              setInterrupted(last.session);
            }
            const locked: VaultState = last.status === 'no-clinic' ? last : { status: 'locked', clinicName: last.clinicName, reason: 'start' };
            // Already locked as far as the screens go: the new worker's first state is no reason to drop the held page's data.
            lastState.current = locked;
            setFallback(locked);
            start();
          });
        },
        () => setHealth('unavailable'),
      );
    };
    start();
    return () => {
      cancelled = true;
      current?.close();
    };
  }, [connection]);

  useEffect(() => {
    if (!client) return;
    const follow = (state: VaultState) => {
      const was = lastState.current;
      lastState.current = state;
      const before = interruptedSession.current;
      if (state.status !== 'unlocked') {
        // Decrypted data goes with the unlock; a page held after an interruption keeps its own until the next one.
        if (was.status === 'unlocked' || state.status === 'no-clinic') queryClient.removeQueries({ queryKey: [phiKey] });
        return;
      }
      if (!before) return;
      // Someone else unlocked after the interruption: the page held for the one before goes.
      if (before.userId !== state.session.userId) queryClient.removeQueries({ queryKey: [phiKey] });
      else void queryClient.invalidateQueries({ queryKey: [phiKey] });
      interruptedSession.current = null;
      setInterrupted(null);
    };
    const state = client.latest('state');
    if (state) follow(state);
    const stopState = client.on('state', follow);
    const stopChanges = client.on('records-changed', () => {
      void queryClient.invalidateQueries({ queryKey: [phiKey] });
      void queryClient.invalidateQueries({ queryKey: facilitiesKey });
    });
    // A sync starting or stopping is also news about the hub link, which Settings shows.
    let syncing = client.latest('sync') != null;
    const stopSync = client.on('sync', (status) => {
      if ((status !== null) !== syncing) void queryClient.invalidateQueries({ queryKey: queryKeys.hubStatus });
      syncing = status !== null;
    });
    return () => {
      stopState();
      stopChanges();
      stopSync();
    };
  }, [client, queryClient]);

  if (health === 'unavailable') return <p className="error page-message">{t('store.openFailed')}</p>;
  if (!client || (client.latest('state') === undefined && interrupted === null)) return <p className="page-message">{t('store.opening')}</p>;
  return <DataContext.Provider value={{ client, fallback, interrupted }}>{children}</DataContext.Provider>;
}

function useDataContext(): DataContextValue {
  const context = useContext(DataContext);
  if (!context) throw new Error('DataProvider is missing');
  return context;
}

/** The data worker's client: every read and write of clinic data goes through it. */
export const useData = (): DataClient => useDataContext().client;

/** The vault's state as the data worker last told it. */
export function useVaultState(): VaultState {
  const { client, fallback } = useDataContext();
  return useSyncExternalStore(
    (listener) => client.on('state', listener),
    () => client.latest('state') ?? fallback,
  );
}

/** Who was working when the data worker stopped, until someone unlocks again; null otherwise. */
export const useInterruptedSession = (): SessionSummary | null => useDataContext().interrupted;

/**
 * The unlocked session's summary; only for screens rendered behind the lock
 * (and the page held behind it after the data worker stopped).
 */
export function useSession(): SessionSummary {
  const state = useVaultState();
  const interrupted = useInterruptedSession();
  if (state.status === 'unlocked') return state.session;
  if (interrupted) return interrupted;
  throw new Error('useSession outside an unlocked vault');
}

/** The hub sync's status, or null when this workstation is not linked. */
export function useSyncStatus(): SyncStatus | null {
  const { client } = useDataContext();
  return useSyncExternalStore(
    (listener) => client.on('sync', listener),
    () => client.latest('sync') ?? null,
  );
}
