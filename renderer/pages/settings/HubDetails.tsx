import { useTranslation } from 'react-i18next';
import { useSyncStatus } from '../../data-client/DataContext';
import { changesWaiting } from '../../sync/sync-summary';
import { useSyncLine } from '../../sync/use-sync-line';

/** The link and the sync in detail: address, state, last full sync, what waits, the latest problem. */
export function HubDetails({ hubUrl }: { hubUrl: string }) {
  const { t, i18n } = useTranslation();
  const status = useSyncStatus();
  const line = useSyncLine(status);
  return (
    <dl className="facts" data-testid="hub-details">
      <dt>{t('hub.address')}</dt>
      <dd className="mono-text">{hubUrl}</dd>
      <dt>{t('hub.state')}</dt>
      <dd>{line?.text ?? t('hub.notStarted')}</dd>
      {status && (
        <>
          <dt>{t('hub.lastSynced')}</dt>
          <dd>
            {status.lastSyncedAt === null
              ? t('hub.never')
              : `${line?.lastSynced ?? ''} (${new Date(status.lastSyncedAt).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })})`}
          </dd>
          <dt>{t('hub.pending')}</dt>
          <dd>{changesWaiting(status).toLocaleString(i18n.language)}</dd>
          {status.problem && (
            <>
              <dt>{t('hub.problem')}</dt>
              <dd className="error">{status.problem}</dd>
            </>
          )}
        </>
      )}
    </dl>
  );
}
