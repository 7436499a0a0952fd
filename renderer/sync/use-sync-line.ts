import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../sync/client/clinic-sync';
import { relativeTime } from './relative-time';
import { summarizeSync, type SyncState } from './sync-summary';
import { useNow } from '../components/use-now';

export interface SyncLine {
  state: SyncState;
  text: string;
  tone: 'ok' | 'warn' | 'bad';
  /** When the last full sync was, in words ("3 minutes ago"), or null when never. */
  lastSynced: string | null;
}

const tones: Record<SyncState, SyncLine['tone']> = {
  refused: 'bad',
  withheld: 'bad',
  pulling: 'ok',
  offline: 'warn',
  connecting: 'warn',
  sending: 'ok',
  syncing: 'ok',
  pending: 'warn',
  synced: 'ok',
  waiting: 'warn',
};

/** Relative times are redrawn this often on a screen left open. */
const refreshMs = 30_000;

/** The sync status in words of the current language, as the frame and Settings show it. */
export function useSyncLine(status: SyncStatus | null): SyncLine | null {
  const { t, i18n } = useTranslation();
  const now = useNow(refreshMs);
  if (!status) return null;
  const summary = summarizeSync(status);
  const ago = status.lastSyncedAt === null ? undefined : relativeTime(status.lastSyncedAt, now, i18n.language);
  const lastSynced = status.lastSyncedAt === null ? null : (ago ?? t('status.sync.justNow'));
  const { count, received, sent, expected } = summary.values;
  const text =
    summary.state === 'synced'
      ? ago
        ? t('status.sync.synced', { ago })
        : t('status.sync.syncedJustNow')
      : t(`status.sync.${summary.key}`, {
          ...(count !== undefined ? { count } : {}),
          ...(received !== undefined ? { received: received.toLocaleString(i18n.language) } : {}),
          ...(sent !== undefined ? { sent: sent.toLocaleString(i18n.language) } : {}),
          ...(expected !== undefined ? { expected: expected.toLocaleString(i18n.language) } : {}),
        });
  return { state: summary.state, text, tone: tones[summary.state], lastSynced };
}
