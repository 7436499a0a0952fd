import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { FacilityCapability } from '../../../app/facilities/capabilities';
import { referralTransports, referralUrgencies, type Referral } from '../../../app/referrals/referral';
import { errorText } from '../../errors';
import { StoreError } from '../../store/store-error';
import { useData } from '../../data-client/DataContext';
import { referralsKey } from './ReferralsSection';

export interface ReferralChoice {
  facilityId: string;
  facilityName: string;
  /** What the ranking was for; 'any' asks the nurse to say what the patient needs first. */
  capability: FacilityCapability | 'any';
  route?: Referral['route'];
}

/** The referral itself, once a facility is chosen on the map: why, how urgently, how the patient travels; sending opens the letter to print. */
export function ReferralForm({ patientId, choice }: { patientId: string; choice: ReferralChoice }) {
  const { t } = useTranslation();
  const data = useData();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const id = useId();
  const [reason, setReason] = useState('');
  const [urgency, setUrgency] = useState('');
  const [transport, setTransport] = useState('');
  const send = useMutation({
    mutationFn: () =>
      data.call('referrals.make', {
        patientId,
        input: { facilityId: choice.facilityId, capability: choice.capability, reason, urgency, transport, ...(choice.route ? { route: choice.route } : {}) },
      }),
    onSuccess: async (referral) => {
      await queryClient.invalidateQueries({ queryKey: referralsKey(patientId) });
      await navigate(`/patients/${patientId}/referrals/${referral.id}/letter`);
    },
  });
  const fields = send.error instanceof StoreError ? send.error.fields : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate();
  };
  const problem = (field: string) => fields[field] && <p className="error">{t(fields[field])}</p>;

  return (
    <form className="referral-form card" onSubmit={submit} noValidate data-testid="referral-form">
      <h2>{t('referrals.referTo', { facility: choice.facilityName })}</h2>
      {choice.capability === 'any' && <p className="error">{t('referrals.chooseNeed')}</p>}
      {problem('capability')}
      <label htmlFor={`${id}-reason`}>{t('referrals.reason')}</label>
      <textarea id={`${id}-reason`} value={reason} maxLength={2000} rows={3} onChange={(event) => setReason(event.target.value)} aria-invalid={fields['reason'] !== undefined} />
      {problem('reason')}
      <label htmlFor={`${id}-urgency`}>{t('referrals.urgencyLabel')}</label>
      <select id={`${id}-urgency`} value={urgency} onChange={(event) => setUrgency(event.target.value)} aria-invalid={fields['urgency'] !== undefined}>
        <option value="">{t('referrals.choose')}</option>
        {referralUrgencies.map((choice) => (
          <option key={choice} value={choice}>
            {t(`referrals.urgency.${choice}`)}
          </option>
        ))}
      </select>
      {problem('urgency')}
      <label htmlFor={`${id}-transport`}>{t('referrals.transportLabel')}</label>
      <select id={`${id}-transport`} value={transport} onChange={(event) => setTransport(event.target.value)} aria-invalid={fields['transport'] !== undefined}>
        <option value="">{t('referrals.choose')}</option>
        {referralTransports.map((choice) => (
          <option key={choice} value={choice}>
            {t(`referrals.transport.${choice}`)}
          </option>
        ))}
      </select>
      {problem('transport')}
      <button type="submit" disabled={send.isPending || choice.capability === 'any'}>
        {t('referrals.send')}
      </button>
      {send.isError && !(send.error instanceof StoreError && send.error.code === 'invalid') && <p role="alert" className="error">{errorText(t, send.error)}</p>}
    </form>
  );
}
