import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OdhQueueItem } from '../../../app/contract/odh';
import { useApi, useConnectionState } from '../../api/ApiContext';
import { useData } from '../../data-client/DataContext';
import { serviceErrorText } from '../../errors';

type Profile = 'odh' | 'safe-harbor';
const queueKey = ['odh', 'queue'] as const;

/**
 * An administrator contributes to the Open Data Hub: the records of the
 * patients who consented (on their chart), de-identified on this
 * workstation, and a withdrawal notice for those who withdrew. The ODH
 * profile (k-anonymity, the default) keeps what public health asks for;
 * Safe Harbor removes more. What was sent waits in this workstation's queue
 * until the hub takes it; the page shows each item's state, the hub's
 * receipt or its reason for refusing.
 */
export function OdhPage() {
  const { t, i18n } = useTranslation();
  const data = useData();
  const api = useApi();
  const connected = useConnectionState() === 'connected';
  const queryClient = useQueryClient();
  const [profile, setProfile] = useState<Profile>('odh');
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const queue = useQuery({ queryKey: queueKey, queryFn: () => api.call('odh.status', {}), enabled: connected, refetchInterval: 3000 });
  const contribute = useMutation({
    mutationFn: () => data.call('odh.contribute', { profile }, { onProgress: (done, total) => setProgress({ done, total }) }),
    onSettled: () => {
      setProgress(undefined);
      return queryClient.invalidateQueries({ queryKey: queueKey });
    },
  });
  const when = (at: string | undefined) => (at === undefined ? '' : new Date(at).toLocaleString(i18n.language));

  return (
    <section aria-labelledby="odh-title">
      <h1 id="odh-title">{t('odh.title')}</h1>
      <p>{t('odh.intro')}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          contribute.mutate();
        }}
      >
        <fieldset>
          <legend>{t('odh.profile.legend')}</legend>
          {(['odh', 'safe-harbor'] as const).map((choice) => (
            <label key={choice}>
              <input type="radio" name="odh-profile" value={choice} checked={profile === choice} onChange={() => setProfile(choice)} disabled={contribute.isPending} /> {t(`odh.profile.${choice}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={contribute.isPending}>
          {t('odh.contribute')}
        </button>
      </form>
      {progress && (
        <div role="status" data-testid="odh-progress">
          <progress value={progress.done} max={Math.max(progress.total, 1)} />
          <span>{t('odh.progress', { done: progress.done, total: progress.total })}</span>
        </div>
      )}
      {contribute.isError && <p className="error">{serviceErrorText(t, contribute.error)}</p>}
      {contribute.data && (
        <div role="status" className="banner ok" data-testid="odh-done">
          <p>{t('odh.done', { patients: contribute.data.patients, resources: contribute.data.resources, withdrawals: contribute.data.withdrawals })}</p>
          {contribute.data.heldBackPatients > 0 && <p>{t('odh.heldBack', { count: contribute.data.heldBackPatients })}</p>}
          <p className="muted">{contribute.data.statement}</p>
        </div>
      )}

      <h2>{t('odh.queue.title')}</h2>
      {!connected && <p className="muted">{t('odh.queue.offline')}</p>}
      {queue.isError && <p className="error">{serviceErrorText(t, queue.error)}</p>}
      {queue.data && (
        <>
          <p data-testid="odh-queue-counts">{t('odh.queue.counts', { waiting: queue.data.waiting, delivered: queue.data.delivered, refused: queue.data.refused })}</p>
          {queue.data.nextAttemptAt !== undefined && <p className="muted">{t('odh.queue.next', { when: when(queue.data.nextAttemptAt) })}</p>}
          {queue.data.items.length > 0 && (
            <table data-testid="odh-queue">
              <thead>
                <tr>
                  <th scope="col">{t('odh.queue.queued')}</th>
                  <th scope="col">{t('odh.queue.what')}</th>
                  <th scope="col">{t('odh.queue.state')}</th>
                  <th scope="col">{t('odh.queue.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {queue.data.items.map((item: OdhQueueItem) => (
                  <tr key={item.id}>
                    <td>{when(item.queuedAt)}</td>
                    <td>{item.kind === 'submission' ? t('odh.queue.submission', { patients: item.patients ?? 0, resources: item.resources ?? 0 }) : t('odh.queue.withdrawal')}</td>
                    <td>{t(`odh.queue.states.${item.state}`)}</td>
                    <td>{item.state === 'delivered' ? t('odh.queue.receipt', { receipt: item.receipt ?? '', when: when(item.deliveredAt) }) : (item.problem ?? '')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
