import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { can } from '../../../app/auth/roles';
import { consentStatuses, type Consent, type ConsentStatus } from '../../../app/consents/consent';
import { errorText } from '../../errors';
import { formatDate } from '../../format/format';
import { StoreError } from '../../store/store-error';
import { useFormatContext } from '../../vault/use-clinic-settings';
import { phiKey, useData, useVaultState } from '../../data-client/DataContext';

/**
 * The chart's research consent: whether the patient's de-identified records
 * may go to the Open Data Hub (the latest decision), each decision with its
 * day and who recorded it, and a form to record a new one for those who may
 * change the patient's record.
 */
export function ConsentSection({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const data = useData();
  const state = useVaultState();
  const format = useFormatContext();
  const query = useQuery({ queryKey: [phiKey, 'consents', patientId], queryFn: () => data.call('consents.forPatient', { patientId }) });
  const staff = useQuery({ queryKey: [phiKey, 'staff-names'], queryFn: () => data.call('staff.names', {}) });
  const decisions = query.data?.consents;
  const current = decisions?.[0];
  const writer = state.status === 'unlocked' && can(state.session.role, 'patient.write');
  const day = (date: string) => formatDate(Date.parse(`${date}T12:00:00Z`), format);

  return (
    <section className="card" aria-labelledby="consent-title" data-testid="consent">
      <h2 id="consent-title">{t('consent.title')}</h2>
      <p className="muted">{t('consent.help')}</p>
      {query.isError && <p className="error">{errorText(t, query.error)}</p>}
      {query.data && query.data.unreadable > 0 && <p className="error">{t('store.unreadable', { count: query.data.unreadable })}</p>}
      {decisions && (
        <p data-testid="consent-now">
          <strong>{current === undefined ? t('consent.none') : t(`consent.now.${current.status}`, { date: day(current.date) })}</strong>
        </p>
      )}
      {decisions && decisions.length > 0 && (
        <table>
          <caption>{t('consent.history')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('consent.table.date')}</th>
              <th scope="col">{t('consent.table.decision')}</th>
              <th scope="col">{t('consent.table.recordedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {decisions.map((decision: Consent) => (
              <tr key={decision.id}>
                <td>{day(decision.date)}</td>
                <td>{t(`consent.status.${decision.status}`)}</td>
                <td>{staff.data?.[decision.recordedBy] ?? t('vitals.unknownStaff')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {writer && <ConsentForm patientId={patientId} current={current?.status} />}
    </section>
  );
}

function ConsentForm({ patientId, current }: { patientId: string; current: ConsentStatus | undefined }) {
  const { t } = useTranslation();
  const data = useData();
  const queryClient = useQueryClient();
  const id = useId();
  const [status, setStatus] = useState<ConsentStatus | ''>('');
  const [date, setDate] = useState(() => new Date().toISOString().slice(0, 10));
  const save = useMutation({
    mutationFn: (input: Record<string, unknown>) => data.call('consents.record', { patientId, input }),
    onSuccess: () => {
      setStatus('');
      return queryClient.invalidateQueries({ queryKey: [phiKey, 'consents', patientId] });
    },
  });
  const fields = save.error instanceof StoreError ? save.error.fields : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ status, date });
  };
  // Withdrawing is offered once consent was given; before that, the choices are to give or decline it.
  const choices = consentStatuses.filter((choice) => choice !== current && (choice !== 'withdrawn' || current === 'active'));

  return (
    <form onSubmit={submit} noValidate data-testid="consent-form">
      <fieldset aria-invalid={fields['status'] !== undefined}>
        <legend>{t('consent.record')}</legend>
        {choices.map((choice) => (
          <label key={choice}>
            <input type="radio" name={`${id}-status`} value={choice} checked={status === choice} onChange={() => setStatus(choice)} /> {t(`consent.choice.${choice}`)}
          </label>
        ))}
        {fields['status'] && <p className="error">{t(fields['status'])}</p>}
      </fieldset>
      <label htmlFor={`${id}-date`}>{t('consent.date')}</label>
      <input id={`${id}-date`} type="date" value={date} onChange={(event) => setDate(event.target.value)} aria-invalid={fields['date'] !== undefined} />
      {fields['date'] && <p className="error">{t(fields['date'])}</p>}
      <button type="submit" disabled={save.isPending || status === ''}>
        {t('consent.save')}
      </button>
      <p role="status" aria-live="polite" data-testid="consent-result">
        {save.isSuccess && t('consent.saved')}
        {save.isError && !(save.error instanceof StoreError && save.error.code === 'invalid') && <span className="error">{errorText(t, save.error)}</span>}
      </p>
    </form>
  );
}
