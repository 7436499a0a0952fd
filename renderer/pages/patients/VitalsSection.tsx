import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { news2, news2MessageKeys, chartedDecimals, type News2ParameterScore } from '../../../app/clinical/news2';
import { news2Window, type News2Window } from '../../../app/clinical/news2-window';
import { acvpuLabelKeys } from '../../../app/observations/observation';
import { useClinicSettings, useFormatContext } from '../../vault/use-clinic-settings';
import { useNow } from '../../components/use-now';
import { errorText } from '../../errors';
import { formatDateTime, formatNumber } from '../../format/format';
import { phiKey, useData, useVaultState } from '../../data-client/DataContext';
import { referralAdvised } from '../../../app/referrals/referral';
import { can } from '../../../app/auth/roles';
import { Trends } from './Trends';

/** The chart's vital signs: NEWS2 from recent values, and a trend with its readings per vital. */
export function VitalsSection({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const data = useData();
  const { news2WindowHours } = useClinicSettings();
  const query = useQuery({ queryKey: [phiKey, 'observations', patientId], queryFn: () => data.call('observations.forPatient', { patientId }) });
  const observations = query.data?.observations;
  const now = useNow();
  const window = useMemo(() => (observations?.length ? news2Window(observations, { now, windowHours: news2WindowHours }) : undefined), [observations, news2WindowHours, now]);

  return (
    <section className="card" aria-labelledby="vitals-title">
      <div className="page-head">
        <h2 id="vitals-title">{t('vitals.title')}</h2>
        <Link className="button" to={`/patients/${patientId}/capture`}>
          {t('vitals.capture')}
        </Link>
      </div>
      {query.isError && <p className="error">{errorText(t, query.error)}</p>}
      {query.data && query.data.unreadable > 0 && <p className="error">{t('store.unreadable', { count: query.data.unreadable })}</p>}
      {observations?.length === 0 && <p className="muted">{t('vitals.none')}</p>}
      {window && <News2Panel window={window} hours={news2WindowHours} patientId={patientId} />}
      {observations && observations.length > 0 && <Trends observations={observations} />}
    </section>
  );
}

function News2Panel({ window, hours, patientId }: { window: News2Window; hours: number; patientId: string }) {
  const { t } = useTranslation();
  const format = useFormatContext();
  const vault = useVaultState();
  const score = news2(window.input);
  // NEWS2 high, or any single parameter scoring 3: the nurse is offered a referral at once (RCP chart 4: urgent or emergency response).
  const offerReferral = referralAdvised(score) && vault.status === 'unlocked' && can(vault.session.role, 'referral.write');
  const when = (iso: string | undefined) => (iso === undefined ? '' : formatDateTime(Date.parse(iso), format));
  const valueText = (p: News2ParameterScore) => {
    if (p.parameter === 'airOrOxygen') return t(news2MessageKeys.airOrOxygen[p.value]);
    if (p.parameter === 'consciousness') return t(acvpuLabelKeys[p.value]);
    return formatNumber(p.value, chartedDecimals[p.parameter], format);
  };
  return (
    <div className={`news2 risk-${score.risk}`} data-testid="news2" data-risk={score.risk} data-total={score.total}>
      <p className="news2-total">
        <strong>{t(score.totalKey, { total: score.total })}</strong> · {t(news2MessageKeys.risk[score.risk])}
      </p>
      <p>
        {t(score.response.monitoring)} {t(score.response.action)}
      </p>
      {offerReferral && (
        <p className="referral-offer" data-testid="referral-offer">
          <strong>{t('referrals.advised')}</strong>{' '}
          <Link className="button" to={`/patients/${patientId}/refer`}>
            {t('referrals.refer')}
          </Link>
        </p>
      )}
      <p className="muted">{t('vitals.news2Window', { count: hours })}</p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('vitals.table.vital')}</th>
            <th scope="col">{t('vitals.table.value')}</th>
            <th scope="col">{t('vitals.table.taken')}</th>
            <th scope="col">{t('vitals.table.points')}</th>
          </tr>
        </thead>
        <tbody>
          {score.parameters.map((p) => (
            <tr key={p.parameter} data-testid={`news2-${p.parameter}`}>
              <td>{t(news2MessageKeys.parameter[p.parameter])}</td>
              <td>{valueText(p)}</td>
              <td>{when(window.takenAt[p.parameter])}</td>
              <td className={p.score === 3 ? 'error' : undefined}>{p.score}</td>
            </tr>
          ))}
          {score.missing.map((m) => {
            const old = window.tooOld[m];
            return (
              <tr key={m} className="muted" data-testid={`news2-${m}`}>
                <td>{t(news2MessageKeys.parameter[m])}</td>
                <td colSpan={3}>{old === undefined ? t('vitals.missing') : t('vitals.tooOld', { at: when(old), count: hours })}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
