import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../app/devices/decoded-item';
import type { DriverId } from '../../../app/devices/driver-ids';
import { resources } from '../../i18n/i18n';
import { statusMessageKey } from './status-messages';

let t: TFunction;
beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ resources, lng: 'en', interpolation: { escapeValue: false } });
  t = i18n.t;
});

const words = (driver: DriverId, status: DeviceStatus): string | undefined => {
  const key = statusMessageKey(driver, status);
  return key === undefined ? undefined : t(key);
};

describe('device status messages', () => {
  it('tells an oximeter user about the pulse and the finger', () => {
    expect(words('cms50d', { status: 'searching', raw: '' })).toBe('Searching for a pulse…');
    expect(words('cms50d', { status: 'finger-out', detail: { flag: 'no-value' }, raw: '' })).toMatch(/No finger/);
    expect(words('cms50d', { status: 'probe-error', raw: '' })).toMatch(/probe/);
    expect(words('cms50d', { status: 'ok', raw: '' })).toBeUndefined();
  });

  it('never shows an oximeter message under a scale', () => {
    const scaleStates = ['zero', 'in-motion', 'fault', 'under-zero', 'over-capacity', 'needs-calibration', 'needs-rezeroing'];
    const statuses: DeviceStatus['status'][] = ['finger-out', 'probe-error', 'searching', 'ok'];
    for (const status of statuses) {
      for (const scale of [...scaleStates, undefined]) {
        const text = words('hid-scale', scale === undefined ? { status, raw: '' } : { status, detail: { scale }, raw: '' });
        expect(text ?? '').not.toMatch(/pulse|finger|probe/i);
      }
    }
    expect(words('hid-scale', { status: 'searching', detail: { scale: 'in-motion' }, raw: '' })).toMatch(/settling/);
    expect(words('hid-scale', { status: 'probe-error', detail: { scale: 'over-capacity' }, raw: '' })).toMatch(/capacity/);
  });

  it('says nothing under a glucometer download', () => {
    expect(statusMessageKey('contour-next', { status: 'searching', raw: '' })).toBeUndefined();
    expect(statusMessageKey('freestyle', { status: 'end', raw: '' })).toBeUndefined();
  });

  it('has English words for every key it can give', () => {
    const scaleStates = ['zero', 'in-motion', 'fault', 'under-zero', 'over-capacity', 'needs-calibration', 'needs-rezeroing', 'unknown'];
    const keys = [
      ...(['finger-out', 'probe-error', 'searching'] as const).map((status) => statusMessageKey('cms50d', { status, raw: '' })),
      ...scaleStates.map((scale) => statusMessageKey('hid-scale', { status: 'probe-error', detail: { scale }, raw: '' })),
    ];
    for (const key of keys) {
      expect(key).toBeDefined();
      expect(t(key ?? ''), key).not.toBe(key);
    }
  });
});
