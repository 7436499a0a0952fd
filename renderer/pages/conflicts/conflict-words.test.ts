import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeHlc } from '../../../app/records/hlc';
import { resources } from '../../i18n/i18n';
import { editedAt, fieldLabel, valueText } from './conflict-words';

let t: TFunction;
beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ resources, lng: 'en', interpolation: { escapeValue: false } });
  t = i18n.t;
});

describe('conflict words', () => {
  it('labels patient fields as the patient form does, and any other field by its name', () => {
    expect(fieldLabel(t, 'patient', 'familyName')).toBe('Family name');
    expect(fieldLabel(t, 'patient', 'clinicNumber')).toBe('Clinic no.');
    expect(fieldLabel(t, 'patient', '@deleted')).toBe('Record deleted');
    expect(fieldLabel(t, 'observation', 'value')).toBe('Other detail (value)');
  });

  it('shows empty, deleted, sex and dates in words', () => {
    expect(valueText(t, 'en', 'phone', null)).toBe('(empty)');
    expect(valueText(t, 'en', '@deleted', true)).toBe('Deleted');
    expect(valueText(t, 'en', 'sex', 'female')).toBe('Female');
    expect(valueText(t, 'en', 'familyName', 'Diallo')).toBe('Diallo');
    expect(valueText(t, 'en', 'estimatedAgeYears', 34)).toBe('34');
  });

  it('reads when and where an edit was made from its clock value', () => {
    const hlc = encodeHlc({ wallMs: Date.parse('2025-03-10T12:00:00Z'), counter: 3, node: 'ws-a' });
    expect(editedAt(hlc, 'ws-a')).toEqual({ at: new Date('2025-03-10T12:00:00Z'), here: true, node: 'ws-a' });
    expect(editedAt(hlc, 'ws-b')?.here).toBe(false);
    expect(editedAt('not a clock', 'ws-a')).toBeUndefined();
  });
});
