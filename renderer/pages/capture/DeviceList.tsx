import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceInfo } from '../../../app/contract/device-events';
import type { DriverId } from '../../../app/devices/driver-ids';
import { errorText } from '../../errors';

/** Connected devices with their state; the nurse picks the device type where a cable could be either. */
export function DeviceList({ devices, onStart }: { devices: DeviceInfo[]; onStart: (deviceId: string, driver: DriverId) => Promise<unknown> }) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<Record<string, DriverId>>({});
  const [error, setError] = useState<unknown>();
  if (devices.length === 0) return <p className="muted">{t('capture.noDevices')}</p>;
  return (
    <>
      <ul className="devices" data-testid="device-list">
        {devices.map((device) => {
          const driver = choice[device.id] ?? device.drivers[0]!;
          return (
            <li key={device.id} className="device" data-state={device.state}>
              <span className="device-label">{device.label}</span>
              <span className={`status status-${device.state === 'error' ? 'unauthorized' : device.state === 'reading' ? 'connected' : 'neutral'}`}>{t(`capture.state.${device.state}`)}</span>
              {device.error && <span className="error">{device.error}</span>}
              {device.drivers.length > 1 && (
                <select aria-label={t('capture.deviceType')} value={driver} onChange={(e) => setChoice({ ...choice, [device.id]: e.target.value as DriverId })}>
                  {device.drivers.map((id) => (
                    <option key={id} value={id}>
                      {t(`capture.drivers.${id}`)}
                    </option>
                  ))}
                </select>
              )}
              <button type="button" disabled={device.state === 'reading'} onClick={() => void onStart(device.id, driver).catch(setError)}>
                {t('capture.read')}
              </button>
            </li>
          );
        })}
      </ul>
      {error !== undefined && <p className="error">{errorText(t, error)}</p>}
    </>
  );
}
