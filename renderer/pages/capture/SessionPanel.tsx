import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceReading } from '../../../app/devices/decoded-item';
import { PlethTrace } from '../../devices/PlethTrace';
import { errorText } from '../../errors';
import type { SessionView } from '../../devices/use-devices';

/** Live devices stream values the nurse confirms; memory meters download results the nurse picks. */
const liveDrivers = new Set(['cms50d', 'hid-scale']);

export interface ConfirmedReadings {
  readings: DeviceReading[];
  onOxygen?: boolean;
}

interface Props {
  session: SessionView;
  onStore: (confirmed: ConfirmedReadings) => Promise<unknown>;
  onStop: () => void;
}

const latestOf = (readings: DeviceReading[], kind: DeviceReading['kind']) => readings.filter((r) => r.kind === kind).at(-1);

export function SessionPanel({ session, onStore, onStop }: Props) {
  const { t } = useTranslation();
  const live = session.identity ? liveDrivers.has(session.identity.driver) : false;
  return (
    <section className="card session" aria-label={session.identity ? `${session.identity.manufacturer} ${session.identity.model}` : t('capture.connecting')} data-testid="session-panel">
      <h2>{session.identity ? `${session.identity.manufacturer} ${session.identity.model}` : t('capture.connecting')}</h2>
      {session.unreadable && (
        <p role="alert" className="error" data-testid="session-unreadable">
          {t('capture.unreadable')}
        </p>
      )}
      {live ? <LiveView session={session} onStore={onStore} /> : <DownloadView session={session} onStore={onStore} />}
      {session.errors.length > 0 && (
        <p className="warning" data-testid="session-errors">
          {t('capture.skipped', { count: session.errors.length })} {session.errors.at(-1)?.reason}
        </p>
      )}
      {session.ended ? (
        <p role="status" className={session.ended.reason === 'completed' || session.ended.reason === 'stopped' ? undefined : 'error'} data-testid="session-ended">
          {session.ended.message}
        </p>
      ) : (
        <button type="button" className="secondary" onClick={onStop}>
          {t('capture.stop')}
        </button>
      )}
    </section>
  );
}

function LiveView({ session, onStore }: Pick<Props, 'session' | 'onStore'>) {
  const { t } = useTranslation();
  const [onOxygen, setOnOxygen] = useState(false);
  const [stored, setStored] = useState(false);
  const [error, setError] = useState<unknown>();
  const spo2 = latestOf(session.readings, 'spo2');
  const pulse = latestOf(session.readings, 'pulse');
  const weight = latestOf(session.readings, 'bodyWeight');
  const shown = [spo2, pulse, weight].filter((r): r is DeviceReading => r !== undefined);
  const status = session.status?.status;
  return (
    <>
      <div className="live-values" data-testid="live-values">
        {spo2 && (
          <span className="big-value">
            SpO₂ <strong data-testid="live-spo2">{spo2.value}</strong> %
          </span>
        )}
        {pulse && (
          <span className="big-value">
            {t('capture.pulse')} <strong data-testid="live-pulse">{pulse.value}</strong> /min
          </span>
        )}
        {weight && (
          <span className="big-value">
            {t('capture.weight')} <strong data-testid="live-weight">{weight.value}</strong> kg
          </span>
        )}
      </div>
      {status && status !== 'ok' && status !== 'header' && <p className="warning">{t(`capture.status.${status}`)}</p>}
      {session.waveform.length > 0 && <PlethTrace samples={session.waveform} label={t('capture.pleth')} />}
      {spo2 && (
        <fieldset className="field">
          <legend>{t('capture.oxygen')}</legend>
          <div className="choices">
            <label className="check">
              <input type="radio" checked={!onOxygen} onChange={() => setOnOxygen(false)} /> {t('capture.air')}
            </label>
            <label className="check">
              <input type="radio" checked={onOxygen} onChange={() => setOnOxygen(true)} /> {t('capture.onOxygen')}
            </label>
          </div>
        </fieldset>
      )}
      <button type="button" disabled={shown.length === 0 || stored} onClick={() => void onStore({ readings: shown, onOxygen }).then(() => setStored(true), setError)}>
        {stored ? t('capture.stored') : t('capture.storeLive')}
      </button>
      {error !== undefined && <p className="error">{errorText(t, error)}</p>}
    </>
  );
}

function DownloadView({ session, onStore }: Pick<Props, 'session' | 'onStore'>) {
  const { t, i18n } = useTranslation();
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [stored, setStored] = useState(false);
  const [error, setError] = useState<unknown>();
  const complete = session.ended?.reason === 'completed';
  if (!complete && session.ended) return null; // unplugged or failed: nothing to pick, the message says why
  return (
    <>
      <p role="status">{complete ? t('capture.downloaded', { count: session.readings.length }) : t('capture.downloading', { count: session.readings.length })}</p>
      {complete && session.readings.length > 0 && (
        <>
          <p>{t('capture.pickHelp')}</p>
          <ul className="results" data-testid="download-results">
            {session.readings.map((reading, index) => (
              <li key={`${reading.time ?? ''}-${index}`}>
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
                  {reading.time ? new Date(reading.time).toLocaleString(i18n.language) : ''} · <strong>{reading.value}</strong> {reading.unit}
                </label>
              </li>
            ))}
          </ul>
          <button type="button" disabled={picked.size === 0 || stored} onClick={() => void onStore({ readings: session.readings.filter((_, i) => picked.has(i)) }).then(() => setStored(true), setError)}>
            {stored ? t('capture.stored') : t('capture.storePicked', { count: picked.size })}
          </button>
          {error !== undefined && <p className="error">{errorText(t, error)}</p>}
        </>
      )}
    </>
  );
}
