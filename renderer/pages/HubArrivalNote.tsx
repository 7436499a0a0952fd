import { useTranslation } from 'react-i18next';
import { useSyncStatus } from '../data-client/DataContext';

/**
 * On the lock screen of a workstation that joined its clinic and has not yet
 * been fully in step with the hub: staff accounts (and the records) are still
 * arriving, so a login may not work yet.
 */
export function HubArrivalNote() {
  const { t, i18n } = useTranslation();
  const status = useSyncStatus();
  if (!status || status.lastSyncedAt !== null) return null;
  const pull = status.initialPull;
  return (
    <div className="banner info" role="status" data-testid="hub-arrival">
      <p>{t('lock.arriving')}</p>
      {pull && (
        <div className="progress">
          <progress value={pull.received} max={Math.max(pull.expected, pull.received, 1)} />
          <span>{t('status.sync.pulling', { received: pull.received.toLocaleString(i18n.language), expected: pull.expected.toLocaleString(i18n.language) })}</span>
        </div>
      )}
      {status.problem && <p>{status.problem}</p>}
    </div>
  );
}
