import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { can } from '../../../app/auth/roles';
import { errorText } from '../../errors';
import { useSession, useData } from '../../data-client/DataContext';
import { keptAsideKey, useKeptAside } from './use-kept-aside';

/**
 * For an administrator: versions of records that arrived from the hub and
 * could not be opened, which this workstation kept aside while keeping its own
 * (issue 12). Only what the hub showed in clear is listed (the kind of
 * record, its opaque id, when it arrived); nothing of it can be read here.
 * Dismissing one after review forgets it on this workstation.
 */
export function KeptAsideNotice() {
  const { t, i18n } = useTranslation();
  const data = useData();
  const session = useSession();
  const queryClient = useQueryClient();
  const mayReview = can(session.role, 'sync.review');
  const kept = useKeptAside(mayReview);
  const dismiss = useMutation({
    mutationFn: (id: string) => data.call('keptAside.dismiss', { id }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keptAsideKey }),
  });
  const arrivals = kept.data ?? [];
  if (!mayReview || arrivals.length === 0) return null;
  return (
    <section className="banner warn" aria-labelledby="kept-aside-title" data-testid="kept-aside">
      <h2 id="kept-aside-title">{t('keptAside.title')}</h2>
      <p>{t('keptAside.summary', { count: arrivals.length })}</p>
      {dismiss.isError && <p className="error">{errorText(t, dismiss.error)}</p>}
      <ul>
        {arrivals.map((arrival) => (
          <li key={arrival.id}>
            {t('keptAside.item', {
              type: t(`keptAside.types.${arrival.recordType}`),
              id: arrival.recordId,
              when: new Date(arrival.arrivedAt).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }),
            })}{' '}
            <button type="button" className="secondary" disabled={dismiss.isPending} onClick={() => dismiss.mutate(arrival.id)}>
              {t('keptAside.dismiss')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
