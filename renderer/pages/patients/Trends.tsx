import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { timeAxisRange, valueAxisRange } from '../../../app/clinical/chart-scales';
import { news2Bands } from '../../../app/clinical/news2-bands';
import { chartedVitalOf, chartedVitals, displayDecimals, displayUnitOf, toDisplayValue, vitalNameKey, type ChartedVital } from '../../../app/clinical/vital-display';
import type { RecordedObservation } from '../../../app/observations/observation';
import type { GlucoseDisplayUnit } from '../../../app/settings/clinic-settings';
import { measuredValueText, unitText } from '../../components/measured-value';
import { TrendChart, type TrendPoint } from '../../components/TrendChart';
import { useNow } from '../../components/use-now';
import { formatDateTime, formatDayMonth, formatNumber, formatTime, type FormatContext } from '../../format/format';
import { useClinicSettings, useFormatContext } from '../../vault/use-clinic-settings';
import { phiKey, useData } from '../../data-client/DataContext';

type Numeric = Exclude<RecordedObservation, { kind: 'consciousness' }>;

interface Reading extends TrendPoint {
  observation: Numeric;
}

interface Series {
  vital: ChartedVital;
  unit: string;
  readings: Reading[];
}

/** Each numeric observation in its chart's display unit, rounded as shown; stored values are never changed. */
function seriesOf(observations: readonly RecordedObservation[], glucoseUnit: GlucoseDisplayUnit): Series[] {
  const byVital = new Map<ChartedVital, Reading[]>();
  for (const observation of observations) {
    if (observation.kind === 'consciousness') continue;
    const vital = chartedVitalOf(observation.kind);
    const decimals = displayDecimals(vital, displayUnitOf(vital, glucoseUnit));
    const value = Number(toDisplayValue(observation.kind, observation.value, glucoseUnit).toFixed(decimals));
    const comparator = 'comparator' in observation ? observation.comparator : undefined;
    const reading: Reading = { at: Date.parse(observation.effectiveAt), value, comparator, observation };
    byVital.set(vital, [...(byVital.get(vital) ?? []), reading]);
  }
  return chartedVitals.flatMap((vital) => {
    const readings = byVital.get(vital);
    return readings ? [{ vital, unit: displayUnitOf(vital, glucoseUnit), readings: readings.sort((a, b) => a.at - b.at) }] : [];
  });
}

/** A trend chart per vital, each with the table of its readings below it. */
export function Trends({ observations }: { observations: RecordedObservation[] }) {
  const { glucoseUnit } = useClinicSettings();
  const data = useData();
  const staff = useQuery({ queryKey: [phiKey, 'staff-names'], queryFn: () => data.call('staff.names', {}) });
  const series = useMemo(() => seriesOf(observations, glucoseUnit), [observations, glucoseUnit]);
  return (
    <div className="trends">
      {series.map((s) => (
        <VitalTrend key={s.vital} series={s} staffNames={staff.data ?? {}} />
      ))}
    </div>
  );
}

function VitalTrend({ series, staffNames }: { series: Series; staffNames: Readonly<Record<string, string>> }) {
  const { t } = useTranslation();
  const format = useFormatContext();
  const { vital, unit, readings } = series;
  const decimals = displayDecimals(vital, unit);
  const name = t(vitalNameKey(vital));
  const label = `${name} (${unitText(unit)})`;
  const { locale, dateOrder } = format;
  const formatValue = useCallback((value: number) => formatNumber(value, decimals, { locale }), [decimals, locale]);
  const formatTick = useCallback((ms: number) => `${formatDayMonth(ms, { locale, dateOrder })}\n${formatTime(ms, { locale, dateOrder })}`, [locale, dateOrder]);
  const now = useNow();
  const timeRange = useMemo(() => timeAxisRange(readings.map((r) => r.at), now), [readings, now]);
  const valueRange = useMemo(() => valueAxisRange(vital, readings.map((r) => r.value), unit === 'mmol/L' ? 'mmol/L' : 'mg/dL'), [vital, readings, unit]);
  const bands = useMemo(() => news2Bands(vital), [vital]);
  const summary = `${label}: ${readings.map((r) => `${r.comparator ?? ''}${formatValue(r.value)}`).join(', ')} ${unitText(unit)}`;
  const latest = readings.at(-1);

  return (
    <div data-testid={`trend-${vital}`} data-latest={latest?.value}>
      <TrendChart label={label} timeLabel={t('vitals.chart.time')} points={readings} timeRange={timeRange} valueRange={valueRange} bands={bands} formatValue={formatValue} formatTick={formatTick} summary={summary} />
      {latest && (
        <p data-testid={`latest-${vital}`}>
          {t('vitals.latest', { value: measuredValueText(t, locale, latest.comparator === undefined ? { value: latest.value, unit } : { value: latest.value, unit, comparator: latest.comparator }) })}
        </p>
      )}
      {bands.length > 0 && <p className="muted">{t('vitals.chart.bands')}</p>}
      <ReadingsTable readings={readings} unit={unit} format={format} staffNames={staffNames} caption={label} />
    </div>
  );
}

function ReadingsTable({ readings, unit, format, staffNames, caption }: { readings: Reading[]; unit: string; format: FormatContext; staffNames: Readonly<Record<string, string>>; caption: string }) {
  const { t } = useTranslation();
  return (
    <table className="table" data-testid="readings">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('vitals.table.taken')}</th>
          <th scope="col">{t('vitals.table.value')}</th>
          <th scope="col">{t('vitals.table.source')}</th>
          <th scope="col">{t('vitals.table.recordedBy')}</th>
        </tr>
      </thead>
      <tbody>
        {[...readings].reverse().map(({ observation, value, comparator, at }) => (
          <tr key={observation.id}>
            <td>{formatDateTime(at, format)}</td>
            <td>{measuredValueText(t, format.locale, comparator === undefined ? { value, unit } : { value, unit, comparator })}</td>
            <td>{observation.source.type === 'device' ? observation.source.device.model : t('vitals.source.manual')}</td>
            <td>{staffNames[observation.recordedBy] ?? t('vitals.unknownStaff')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
