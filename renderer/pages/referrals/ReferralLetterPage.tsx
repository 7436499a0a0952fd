import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { news2MessageKeys } from '../../../app/clinical/news2';
import { chartedVitalOf, displayDecimals, vitalNameKey } from '../../../app/clinical/vital-display';
import { kindOfLoinc, unitDisplay } from '../../../app/observations/observation';
import { ageOn } from '../../../app/patients/patient';
import { currentStatus, type ReferralVital } from '../../../app/referrals/referral';
import { errorText } from '../../errors';
import { formatDate, formatDateTime, formatNumber } from '../../format/format';
import { useFormatContext } from '../../vault/use-clinic-settings';
import { phiKey, useData, useVaultState } from '../../data-client/DataContext';
import { distanceText, durationText } from '../facilities/RankedFacilities';
import { referralsKey } from './ReferralsSection';
import { usePatient } from '../patients/use-patient';

/**
 * The referral letter the patient (or the driver) carries to the receiving
 * facility: who is referred, by whom, to where and why, how urgently, the
 * latest vitals and NEWS2 as the referral recorded them, and the road route.
 * Printing leaves out the workstation's frame and buttons (styles.css, print).
 */
export function ReferralLetterPage() {
  const { t } = useTranslation();
  const { id = '', referralId = '' } = useParams();
  const data = useData();
  const state = useVaultState();
  const format = useFormatContext();
  const patient = usePatient(id);
  const referrals = useQuery({ queryKey: referralsKey(id), queryFn: () => data.call('referrals.forPatient', { patientId: id }) });
  const staff = useQuery({ queryKey: [phiKey, 'staff-names'], queryFn: () => data.call('staff.names', {}) });
  const error = patient.error ?? referrals.error;
  if (error) return <p className="error">{errorText(t, error)}</p>;
  if (!patient.data || !referrals.data) return <p>{t('settings.loading')}</p>;
  const referral = referrals.data.referrals.find((r) => r.id === referralId);
  if (!referral) return <p className="error">{t('referrals.notFound')}</p>;
  const p = patient.data;
  const age = ageOn(p, new Date(referral.createdAt));
  const kindOf = (vital: ReferralVital) => kindOfLoinc.get(vital.code);
  const valueText = (vital: ReferralVital) => {
    if (typeof vital.value === 'string') return vital.value;
    const kind = kindOf(vital);
    const unit = vital.unit in unitDisplay ? unitDisplay[vital.unit as keyof typeof unitDisplay] : vital.unit;
    // Written with the decimals the chart shows it with (in the unit it was measured in).
    const number = formatNumber(vital.value, kind && kind !== 'consciousness' ? displayDecimals(chartedVitalOf(kind), vital.unit) : 0, format);
    return `${vital.comparator === '>' ? t('referrals.above', { value: number }) : vital.comparator === '<' ? t('referrals.below', { value: number }) : number} ${unit}`;
  };

  return (
    <article className="referral-letter" aria-labelledby="letter-title" data-testid="referral-letter">
      <p className="no-print">
        <Link to={`/patients/${p.id}`}>{t('referrals.backToChart')}</Link>{' '}
        <button type="button" onClick={() => window.print()}>
          {t('referrals.print')}
        </button>
      </p>
      <header>
        <p>{state.status === 'unlocked' ? state.clinicName : ''}</p>
        <h1 id="letter-title">{t('referrals.letterTitle')}</h1>
        <p>
          {formatDateTime(Date.parse(referral.createdAt), format)} · <strong>{t(`referrals.urgency.${referral.urgency}`)}</strong>
        </p>
      </header>
      <dl className="facts">
        <dt>{t('referrals.letterTo')}</dt>
        <dd data-testid="letter-facility">
          {referral.facilityName} ({referral.facilityPosition[0].toFixed(5)}, {referral.facilityPosition[1].toFixed(5)})
        </dd>
        <dt>{t('referrals.needs')}</dt>
        <dd>{t(`facilities.capability.${referral.capability}`)}</dd>
        <dt>{t('referrals.patient')}</dt>
        <dd data-testid="letter-patient">
          {p.familyName.toUpperCase()}, {p.givenNames} · {t(`patients.sexes.${p.sex}`)} · {age.estimated ? t('patients.ageEstimated', { years: age.years }) : t('patients.age', { years: age.years })}
          {p.birthDate ? ` · ${formatDate(Date.parse(`${p.birthDate}T12:00:00Z`), format)}` : ''}
        </dd>
        <dt>{t('patients.clinicNumber')}</dt>
        <dd>{p.clinicNumber}</dd>
        {p.village && (
          <>
            <dt>{t('patients.fields.village')}</dt>
            <dd>{p.village}</dd>
          </>
        )}
        {p.phone && (
          <>
            <dt>{t('patients.fields.phone')}</dt>
            <dd>{p.phone}</dd>
          </>
        )}
        <dt>{t('referrals.reason')}</dt>
        <dd className="letter-reason">{referral.reason}</dd>
        <dt>{t('referrals.transportLabel')}</dt>
        <dd>{t(`referrals.transport.${referral.transport}`)}</dd>
        {referral.route && (
          <>
            <dt>{t('referrals.road')}</dt>
            <dd>{t('referrals.roadRoute', { distance: distanceText(referral.route.distanceM), time: durationText(referral.route.durationS), season: t(`facilities.seasons.${referral.route.season}`) })}</dd>
          </>
        )}
        <dt>NEWS2</dt>
        <dd data-testid="letter-news2">
          {referral.news2 === null
            ? t('referrals.noNews2')
            : `${t(referral.news2.complete ? news2MessageKeys.total.complete : news2MessageKeys.total.atLeast, { total: referral.news2.total })} · ${t(news2MessageKeys.risk[referral.news2.risk])}`}
        </dd>
        <dt>{t('referrals.status.label')}</dt>
        <dd>{t(`referrals.status.${currentStatus(referral, referrals.data.statuses)}`)}</dd>
        <dt>{t('referrals.referredBy')}</dt>
        <dd>{staff.data?.[referral.createdBy] ?? t('vitals.unknownStaff')}</dd>
      </dl>
      <h2>{t('referrals.vitals')}</h2>
      {referral.vitals.length === 0 ? (
        <p>{t('referrals.noVitals')}</p>
      ) : (
        <table className="table" data-testid="letter-vitals">
          <thead>
            <tr>
              <th scope="col">{t('vitals.table.vital')}</th>
              <th scope="col">{t('vitals.table.value')}</th>
              <th scope="col">{t('vitals.table.taken')}</th>
            </tr>
          </thead>
          <tbody>
            {referral.vitals.map((vital) => {
              const kind = kindOf(vital);
              return (
                <tr key={vital.code}>
                  <td>{kind ? t(vitalNameKey(kind)) : vital.label}</td>
                  <td>{valueText(vital)}</td>
                  <td>{formatDateTime(Date.parse(vital.effectiveAt), format)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p className="letter-sign">{t('referrals.signature')}</p>
    </article>
  );
}
