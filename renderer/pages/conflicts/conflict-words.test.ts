import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeHlc } from '../../../app/records/hlc';
import { resources } from '../../i18n/i18n';
import { editedAt, fieldLabel, originText, valueText } from './conflict-words';

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

  it('reads when and where an edit was made from its clock value, naming the workstation when its name is known', () => {
    const hlc = encodeHlc({ wallMs: Date.parse('2025-03-10T12:00:00Z'), counter: 3, node: 'ws-a' });
    const names = { 'ws-a': 'Front desk' };
    expect(editedAt(hlc, 'ws-a', names)).toEqual({ at: new Date('2025-03-10T12:00:00Z'), place: { kind: 'here' } });
    expect(editedAt(hlc, 'ws-b', names)?.place).toEqual({ kind: 'named', name: 'Front desk' });
    expect(editedAt(hlc, 'ws-b', {})?.place).toEqual({ kind: 'unnamed', shortId: 'ws-a' });
    const longNode = encodeHlc({ wallMs: 0, counter: 0, node: 'ws-0123456789abcdef0123456789a1b2c3' });
    expect(editedAt(longNode, 'ws-b', {})?.place).toEqual({ kind: 'unnamed', shortId: 'a1b2c3' });
    expect(editedAt('not a clock', 'ws-a', names)).toBeUndefined();
  });

  it('does not take a name from the lookup’s prototype for a workstation it does not hold', () => {
    const hlc = encodeHlc({ wallMs: 0, counter: 0, node: 'constructor' });
    expect(editedAt(hlc, 'ws-b', {})?.place).toEqual({ kind: 'unnamed', shortId: 'ructor' });
  });

  it('says who entered a value on which workstation: this one, another by its name, or another by the end of its id', () => {
    const when = '5 Dec 2026, 14:02';
    expect(originText(t, { kind: 'named', name: 'Front desk' }, when, 'Mary Banda')).toBe('Entered by Mary Banda on Front desk, 5 Dec 2026, 14:02');
    expect(originText(t, { kind: 'named', name: 'Front desk' }, when, undefined)).toBe('Entered on Front desk, 5 Dec 2026, 14:02');
    expect(originText(t, { kind: 'unnamed', shortId: 'a1b2c3' }, when, 'Mary Banda')).toBe('Entered by Mary Banda on another workstation (…a1b2c3), 5 Dec 2026, 14:02');
    expect(originText(t, { kind: 'unnamed', shortId: 'a1b2c3' }, when, undefined)).toBe('Entered on another workstation (…a1b2c3), 5 Dec 2026, 14:02');
    expect(originText(t, { kind: 'here' }, when, 'Mary Banda')).toBe('Entered by Mary Banda on this workstation, 5 Dec 2026, 14:02');
    expect(originText(t, { kind: 'here' }, when, undefined)).toBe('Entered on this workstation, 5 Dec 2026, 14:02');
  });
});
