import { useTranslation } from 'react-i18next';
import { liveDriverIds } from '../../../app/devices/driver-ids';
import { DownloadView } from './DownloadView';
import { LiveView } from './LiveView';
import type { SessionViewProps } from './session-view';

export function SessionPanel({ session, onStore, onStop }: SessionViewProps & { onStop: () => void }) {
  const { t } = useTranslation();
  // Live devices stream values the nurse confirms; memory meters download results the nurse picks.
  const live = session.identity ? liveDriverIds.has(session.identity.driver) : false;
  return (
    <section className="card session" aria-label={session.identity ? `${session.identity.manufacturer} ${session.identity.model}` : t('capture.connecting')} data-testid="session-panel">
      <h2>{session.identity ? `${session.identity.manufacturer} ${session.identity.model}` : t('capture.connecting')}</h2>
      {session.unreadable && (
        <p role="alert" className="error" data-testid="session-unreadable">
          {t('capture.unreadable')}
        </p>
      )}
      {live ? <LiveView session={session} onStore={onStore} /> : <DownloadView session={session} onStore={onStore} />}
      {session.errors.length > 0 && (
        <p className="warning" data-testid="session-errors">
          {t('capture.skipped', { count: session.errors.length })} {session.errors.at(-1)?.reason}
        </p>
      )}
      {session.ended ? (
        <p role="status" className={session.ended.reason === 'completed' || session.ended.reason === 'stopped' ? undefined : 'error'} data-testid="session-ended">
          {session.ended.message}
        </p>
      ) : (
        <button type="button" className="secondary" onClick={onStop}>
          {t('capture.stop')}
        </button>
      )}
    </section>
  );
}
