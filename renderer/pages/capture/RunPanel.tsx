import { useTranslation } from 'react-i18next';
import { liveDriverIds } from '../../../app/devices/driver-ids';
import { DownloadView } from './DownloadView';
import { LiveView } from './LiveView';
import type { RunViewProps } from './run-view';

export function RunPanel({ run, onStore, onStop }: RunViewProps & { onStop: () => void }) {
  const { t } = useTranslation();
  // Live devices stream values the nurse confirms; memory meters download results the nurse picks.
  const live = run.identity ? liveDriverIds.has(run.identity.driver) : false;
  return (
    <section className="card run" aria-label={run.identity ? `${run.identity.manufacturer} ${run.identity.model}` : t('capture.connecting')} data-testid="run-panel">
      <h2>{run.identity ? `${run.identity.manufacturer} ${run.identity.model}` : t('capture.connecting')}</h2>
      {run.unreadable && (
        <p role="alert" className="error" data-testid="run-unreadable">
          {t('capture.unreadable')}
        </p>
      )}
      {live ? <LiveView run={run} onStore={onStore} /> : <DownloadView run={run} onStore={onStore} />}
      {run.errors.length > 0 && (
        <p className="warning" data-testid="run-errors">
          {t('capture.skipped', { count: run.errors.length })} {run.errors.at(-1)?.reason}
        </p>
      )}
      {run.ended ? (
        <p role="status" className={run.ended.reason === 'completed' || run.ended.reason === 'stopped' ? undefined : 'error'} data-testid="run-ended">
          {run.ended.message}
        </p>
      ) : (
        <button type="button" className="secondary" onClick={onStop}>
          {t('capture.stop')}
        </button>
      )}
    </section>
  );
}
