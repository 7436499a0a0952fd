import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { can } from '../../../app/auth/roles';
import { currentStatus, referralStatuses, type Referral, type ReferralStatus } from '../../../app/referrals/referral';
import { errorText } from '../../errors';
import { formatDateTime } from '../../format/format';
import { StoreError } from '../../store/store-error';
import { useFormatContext } from '../../vault/use-clinic-settings';
import { phiKey, useData, useVaultState } from '../../data-client/DataContext';

export const referralsKey = (patientId: string) => [phiKey, 'referrals', patientId] as const;

/**
 * The chart's referrals: each with where the patient was sent, for what, how
 * urgently, and its status now with the history of what staff learnt; its
 * letter to print; and, for those who may refer, a way to record news and to
 * refer the patient again.
 */
export function ReferralsSection({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const data = useData();
  const state = useVaultState();
  const format = useFormatContext();
  const query = useQuery({ queryKey: referralsKey(patientId), queryFn: () => data.call('referrals.forPatient', { patientId }) });
  const staff = useQuery({ queryKey: [phiKey, 'staff-names'], queryFn: () => data.call('staff.names', {}) });
  const writer = state.status === 'unlocked' && can(state.session.role, 'referral.write');
  const who = (id: string) => staff.data?.[id] ?? t('vitals.unknownStaff');
  const when = (iso: string) => formatDateTime(Date.parse(iso), format);

  return (
    <section className="card" aria-labelledby="referrals-title" data-testid="referrals">
      <div className="page-head">
        <h2 id="referrals-title">{t('referrals.title')}</h2>
        {writer && (
          <Link className="button secondary" to={`/patients/${patientId}/refer`}>
            {t('referrals.refer')}
          </Link>
        )}
      </div>
      {query.isError && <p className="error">{errorText(t, query.error)}</p>}
      {query.data && query.data.unreadable > 0 && <p className="error">{t('store.unreadable', { count: query.data.unreadable })}</p>}
      {query.data?.referrals.length === 0 && <p className="muted">{t('referrals.none')}</p>}
      {query.data?.referrals.map((referral) => {
        const history = query.data.statuses.filter((status) => status.referralId === referral.id);
        const now = currentStatus(referral, history);
        return (
          <article key={referral.id} className="referral" data-testid="referral" data-referral={referral.id} data-status={now}>
            <h3>
              {t('referrals.to', { facility: referral.facilityName, capability: t(`facilities.capability.${referral.capability}`) })}
            </h3>
            <p>
              <strong data-testid="referral-status">{t(`referrals.status.${now}`)}</strong> · {t(`referrals.urgency.${referral.urgency}`)} · {t(`referrals.transport.${referral.transport}`)}
            </p>
            <p className="muted">{t('referrals.madeBy', { when: when(referral.createdAt), who: who(referral.createdBy) })}</p>
            {history.length > 0 && (
              <ol className="referral-history" aria-label={t('referrals.history')}>
                {history.map((status) => (
                  <li key={status.id}>
                    {t('referrals.statusBy', { status: t(`referrals.status.${status.status}`), when: when(status.recordedAt), who: who(status.recordedBy) })}
                    {status.note && <> · {status.note}</>}
                  </li>
                ))}
              </ol>
            )}
            <p>
              <Link to={`/patients/${patientId}/referrals/${referral.id}/letter`}>{t('referrals.letter')}</Link>
            </p>
            {writer && <StatusForm referral={referral} now={now} />}
          </article>
        );
      })}
    </section>
  );
}

/** What staff learnt of a referral: the next news they can record (never "sent", which every referral is from the start). */
function StatusForm({ referral, now }: { referral: Referral; now: ReferralStatus['status'] }) {
  const { t } = useTranslation();
  const data = useData();
  const queryClient = useQueryClient();
  const id = useId();
  const [status, setStatus] = useState('');
  const [note, setNote] = useState('');
  const save = useMutation({
    mutationFn: () => data.call('referrals.recordStatus', { referralId: referral.id, input: { status, ...(note.trim() ? { note: note.trim() } : {}) } }),
    onSuccess: () => {
      setStatus('');
      setNote('');
      return queryClient.invalidateQueries({ queryKey: referralsKey(referral.patientId) });
    },
  });
  const fields = save.error instanceof StoreError ? save.error.fields : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="referral-status-form" onSubmit={submit} noValidate>
      <label htmlFor={`${id}-status`}>{t('referrals.recordStatus')}</label>{' '}
      <select id={`${id}-status`} value={status} onChange={(event) => setStatus(event.target.value)} data-testid="referral-status-choice" aria-invalid={fields['status'] !== undefined}>
        <option value="">{t('referrals.chooseStatus')}</option>
        {referralStatuses
          .filter((choice) => choice !== 'sent' && choice !== now)
          .map((choice) => (
            <option key={choice} value={choice}>
              {t(`referrals.status.${choice}`)}
            </option>
          ))}
      </select>{' '}
      <label htmlFor={`${id}-note`}>{t('referrals.statusNote')}</label>{' '}
      <input id={`${id}-note`} value={note} maxLength={1000} onChange={(event) => setNote(event.target.value)} aria-invalid={fields['note'] !== undefined} />{' '}
      <button type="submit" disabled={save.isPending || status === ''}>
        {t('referrals.saveStatus')}
      </button>
      {Object.values(fields).map((key) => (
        <p key={key} className="error">
          {t(key)}
        </p>
      ))}
      {save.isError && !(save.error instanceof StoreError && save.error.code === 'invalid') && <p className="error">{errorText(t, save.error)}</p>}
    </form>
  );
}
