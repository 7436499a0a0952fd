import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { news2, news2MessageKeys } from '../../../app/clinical/news2';
import { news2Input } from '../../../app/observations/fhir';
import { unitDisplay, type RecordedObservation } from '../../../app/observations/observation';
import { vitals, type VitalKind } from '../../../app/terminology/vitals';
import { TrendChart } from '../../components/TrendChart';
import { errorText } from '../../errors';
import { phiKey, useVault } from '../../vault/VaultContext';

const charted: VitalKind[] = ['spo2', 'pulse', 'respiratoryRate', 'systolic', 'diastolic', 'bodyTemperature', 'bodyWeight', 'glucoseMass', 'glucoseMoles'];

/** The chart's vital signs: NEWS2 from the latest values, the latest of each, and a trend per vital. */
export function VitalsSection({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const vault = useVault();
  const query = useQuery({ queryKey: [phiKey, 'observations', patientId], queryFn: () => vault.observations.forPatient(patientId) });
  const observations = query.data?.observations;
  const score = useMemo(() => (observations?.length ? news2(news2Input(observations)) : undefined), [observations]);

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
      {score && (
        <div className={`news2 risk-${score.risk}`} data-testid="news2" data-risk={score.risk} data-total={score.total}>
          <p className="news2-total">
            <strong>{t(score.totalKey, { total: score.total })}</strong> · {t(news2MessageKeys.risk[score.risk])}
          </p>
          <p>
            {t(score.response.monitoring)} {t(score.response.action)}
          </p>
          <table className="table">
            <tbody>
              {score.parameters.map((p) => (
                <tr key={p.parameter}>
                  <td>{t(news2MessageKeys.parameter[p.parameter])}</td>
                  <td>{String(p.value)}</td>
                  <td className={p.score === 3 ? 'error' : undefined}>{p.score}</td>
                </tr>
              ))}
              {score.missing.map((m) => (
                <tr key={m} className="muted">
                  <td>{t(news2MessageKeys.parameter[m])}</td>
                  <td colSpan={2}>{t('vitals.missing')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {observations && observations.length > 0 && <Trends observations={observations} />}
    </section>
  );
}

function Trends({ observations }: { observations: RecordedObservation[] }) {
  const { t } = useTranslation();
  const series = useMemo(
    () =>
      charted
        .map((kind) => ({
          kind,
          points: observations.flatMap((o) => (o.kind === kind && typeof o.value === 'number' ? [{ at: Date.parse(o.effectiveAt), value: o.value }] : [])),
        }))
        .filter((s) => s.points.length > 0),
    [observations],
  );
  return (
    <div className="trends">
      {series.map(({ kind, points }) => (
        <div key={kind} data-testid={`trend-${kind}`} data-latest={points.at(-1)?.value}>
          <TrendChart label={t(`vitals.kinds.${kind}`)} unit={unitDisplay[vitals[kind].unit]} points={points} />
        </div>
      ))}
    </div>
  );
}
