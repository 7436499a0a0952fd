import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceReading } from '../../../app/devices/decoded-item';
import { PlethTrace } from '../../devices/PlethTrace';
import { errorText } from '../../errors';
import { missingBeforeStore } from './live-confirm';
import type { RunViewProps } from './run-view';
import { statusMessageKey } from './status-messages';

const latestOf = (readings: DeviceReading[], kind: DeviceReading['kind']) => readings.filter((r) => r.kind === kind).at(-1);

/** An oximeter's or a scale's current values, the device's state in words, and the button that stores them. */
export function LiveView({ run, onStore }: RunViewProps) {
  const { t } = useTranslation();
  // No default: the nurse must say which (see missingBeforeStore).
  const [onOxygen, setOnOxygen] = useState<boolean>();
  const [stored, setStored] = useState(false);
  const [error, setError] = useState<unknown>();
  const spo2 = latestOf(run.readings, 'spo2');
  const pulse = latestOf(run.readings, 'pulse');
  const weight = latestOf(run.readings, 'bodyWeight');
  const shown = [spo2, pulse, weight].filter((r): r is DeviceReading => r !== undefined);
  const statusKey = run.status && run.identity ? statusMessageKey(run.identity.driver, run.status) : undefined;
  const missing = missingBeforeStore(shown, onOxygen);
  const hintId = `store-hint-${run.runId}`;
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
      {statusKey && (
        <p className="warning" data-testid="device-status">
          {t(statusKey)}
        </p>
      )}
      {run.waveform.length > 0 && <PlethTrace samples={run.waveform} label={t('capture.pleth')} />}
      {spo2 && (
        <fieldset className="field">
          <legend>{t('capture.oxygen')}</legend>
          <div className="choices">
            <label className="check">
              <input type="radio" name={`oxygen-${run.runId}`} checked={onOxygen === false} onChange={() => setOnOxygen(false)} /> {t('capture.air')}
            </label>
            <label className="check">
              <input type="radio" name={`oxygen-${run.runId}`} checked={onOxygen === true} onChange={() => setOnOxygen(true)} /> {t('capture.onOxygen')}
            </label>
          </div>
        </fieldset>
      )}
      <button
        type="button"
        disabled={missing !== undefined || stored}
        aria-describedby={missing === 'oxygen' && !stored ? hintId : undefined}
        onClick={() => void onStore({ readings: shown, ...(onOxygen === undefined ? {} : { onOxygen }) }).then(() => setStored(true), setError)}
      >
        {stored ? t('capture.stored') : t('capture.storeLive')}
      </button>
      {missing === 'oxygen' && !stored && (
        <p id={hintId} className="warning" data-testid="store-hint">
          {t('capture.oxygenRequired')}
        </p>
      )}
      {error !== undefined && <p className="error">{errorText(t, error)}</p>}
    </>
  );
}
