import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { limitText } from '../../components/measured-value';
import { errorText } from '../../errors';
import { formatDateTime } from '../../format/format';
import { useClinicSettings, useFormatContext } from '../../vault/use-clinic-settings';
import { beyondRangeSides, downloadRows, meterClockWarning } from './download-rows';
import type { RunViewProps } from './run-view';

/** A glucometer's stored results, newest first, for the nurse to pick this patient's; results beyond the meter's range raise an alert. */
export function DownloadView({ run, onStore }: RunViewProps) {
  const { t } = useTranslation();
  const format = useFormatContext();
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [stored, setStored] = useState(false);
  const [error, setError] = useState<unknown>();
  // Until clinic settings carry their own, the default age limit.
  const maxAgeDays = useClinicSettings().glucometerMaxAgeDays;
  const rows = useMemo(() => downloadRows(run.readings, new Date(), maxAgeDays), [run.readings, maxAgeDays]);
  const sides = beyondRangeSides(run.readings);
  const clock = meterClockWarning(run.header);
  const complete = run.ended?.reason === 'completed';
  if (!complete && run.ended) return null; // unplugged or failed: nothing to pick, the message says why
  // A meter's time has no zone and is read as this workstation's local time, as it is stored.
  const when = (time: string) => formatDateTime(Date.parse(time), format);
  return (
    <>
      <p role="status">{complete ? t('capture.downloaded', { count: run.readings.length }) : t('capture.downloading', { count: run.readings.length })}</p>
      {sides.map((side) => (
        <p key={side} role="alert" className="error urgent" data-testid={side === '>' ? 'alert-above-range' : 'alert-below-range'}>
          {t(side === '>' ? 'capture.beyondRange.alertAbove' : 'capture.beyondRange.alertBelow')}
        </p>
      ))}
      {clock && (
        <p className="warning" data-testid="meter-clock">
          {t('capture.meterClock', { meterTime: when(clock.meterTime), workstationTime: when(clock.workstationTime) })}
        </p>
      )}
      {complete && run.readings.length > 0 && (
        <>
          <p>{t('capture.pickHelp')}</p>
          <ul className="results" data-testid="download-results">
            {rows.map(({ index, reading, timing }) => (
              <li key={index} data-timing={timing} data-comparator={reading.comparator}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={picked.has(index)}
                    onChange={(e) => {
                      const next = new Set(picked);
                      if (e.target.checked) next.add(index);
                      else next.delete(index);
                      setPicked(next);
                    }}
                  />
                  {reading.time ? when(reading.time) : ''} · <strong>{limitText(format.locale, reading)}</strong>
                  {reading.comparator && <strong className="error"> · {t(reading.comparator === '>' ? 'capture.beyondRange.above' : 'capture.beyondRange.below')}</strong>}
                  {timing === 'old' && <span className="warning"> · {t('capture.timing.old', { count: maxAgeDays })}</span>}
                  {timing === 'future' && <span className="warning"> · {t('capture.timing.future')}</span>}
                </label>
              </li>
            ))}
          </ul>
          <button type="button" disabled={picked.size === 0 || stored} onClick={() => void onStore({ readings: run.readings.filter((_, i) => picked.has(i)) }).then(() => setStored(true), setError)}>
            {stored ? t('capture.stored') : t('capture.storePicked', { count: picked.size })}
          </button>
          {error !== undefined && <p className="error">{errorText(t, error)}</p>}
        </>
      )}
    </>
  );
}
