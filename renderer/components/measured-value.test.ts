import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../i18n/i18n';
import { limitText, measuredValueText } from './measured-value';

const translator = async (lng: string): Promise<TFunction> => {
  const i18n = i18next.createInstance();
  await i18n.init({ resources, lng, interpolation: { escapeValue: false } });
  return i18n.t;
};

let en: TFunction;
let fr: TFunction;
beforeAll(async () => {
  [en, fr] = await Promise.all([translator('en'), translator('fr')]);
});

describe('a measured value as text', () => {
  it('shows a result above the meter range as its limit with ">" and says so, never as a plain number', () => {
    expect(measuredValueText(en, 'en', { value: 600, unit: 'mg/dL', comparator: '>' })).toBe('> 600 mg/dL (above the meter’s range)');
    expect(measuredValueText(en, 'en', { value: 20, unit: 'mg/dL', comparator: '<' })).toBe('< 20 mg/dL (below the meter’s range)');
    expect(measuredValueText(fr, 'fr', { value: 33.3, unit: 'mmol/L', comparator: '>' })).toBe('> 33,3 mmol/L (au-dessus de la plage du lecteur)');
  });

  it('shows an ordinary value with its unit as people write it', () => {
    expect(measuredValueText(en, 'en', { value: 104, unit: 'mg/dL' })).toBe('104 mg/dL');
    expect(measuredValueText(en, 'en', { value: 120, unit: 'mm[Hg]' })).toBe('120 mmHg');
    expect(measuredValueText(fr, 'fr', { value: 37.2, unit: 'Cel' })).toBe('37,2 °C');
  });

  it('gives the limit with its comparator for the capture list', () => {
    expect(limitText('en', { value: 500, unit: 'mg/dL', comparator: '>' })).toBe('> 500 mg/dL');
    expect(limitText('en', { value: 72.4, unit: 'kg' })).toBe('72.4 kg');
  });
});
