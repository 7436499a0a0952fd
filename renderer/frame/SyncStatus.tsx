import { useTranslation } from 'react-i18next';
import { useSyncStatus } from '../data-client/DataContext';
import { useSyncLine } from '../sync/use-sync-line';
import { useVaultState } from '../data-client/DataContext';

/**
 * Where this workstation stands with its clinic's hub, always in the header:
 * synced, syncing, offline with changes waiting, refused, or the first pull
 * and a backlog of changes going out with their progress. Quiet when the clinic is not linked to a hub.
 */
export function SyncStatus() {
  const { t } = useTranslation();
  const status = useSyncStatus();
  const line = useSyncLine(status);
  const hasClinic = useVaultState().status !== 'no-clinic';
  if (!status || !line) {
    if (!hasClinic) return null;
    return (
      <div className="status status-quiet" role="status" data-testid="sync-status" data-state="not-linked">
        {t('status.sync.notLinked')}
      </div>
    );
  }
  return (
    <div className={`status status-${line.tone}`} role="status" aria-live="polite" data-testid="sync-status" data-state={line.state} title={status.problem ?? undefined}>
      <span className="status-label">{t('status.sync.label')}:</span> {line.text}
      {status.initialPull && (
        <progress className="status-progress" value={status.initialPull.received} max={Math.max(status.initialPull.expected, status.initialPull.received, 1)} aria-label={t('status.sync.pullProgress')} />
      )}
      {status.sending && !status.initialPull && (
        <progress className="status-progress" value={status.sending.sent} max={Math.max(status.sending.expected, 1)} aria-label={t('status.sync.pushProgress')} />
      )}
      {/* The tooltip is for the mouse; screen readers get the same words here. */}
      {status.problem && <span className="visually-hidden">. {status.problem}</span>}
    </div>
  );
}
