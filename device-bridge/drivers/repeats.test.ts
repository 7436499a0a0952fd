import { describe, expect, it } from 'vitest';
import type { DecodedItem } from './decoder';
import { createRepeatFilter } from './repeats';

const reading = (kind: 'spo2' | 'pulse', value: number): DecodedItem => ({ type: 'reading', reading: { kind, code: 'x-1', value, unit: '%', raw: '' } });
const status = (s: 'finger-out' | 'searching'): DecodedItem => ({ type: 'status', status: { status: s, raw: '' } });
const error = (reason: string): DecodedItem => ({ type: 'error', error: { code: 'out_of_range', reason, raw: '' } });
const said = (items: DecodedItem[]) =>
  items.map((i) => (i.type === 'reading' ? `${i.reading.kind}=${i.reading.value}` : i.type === 'status' ? i.status.status : i.type === 'error' ? i.error.reason : i.type));

describe('repeat filter of a live device', () => {
  it('passes a reading once per change of value, per kind', () => {
    const filter = createRepeatFilter();
    const out = filter([reading('spo2', 97), reading('pulse', 70), reading('spo2', 97), reading('pulse', 71), reading('spo2', 96), reading('spo2', 96)]);
    expect(said(out)).toEqual(['spo2=97', 'pulse=70', 'pulse=71', 'spo2=96']);
  });

  it('remembers across calls, so how items are batched changes nothing', () => {
    const items = [reading('spo2', 97), reading('spo2', 97), status('finger-out'), status('finger-out'), reading('spo2', 97), error('SpO2 110'), error('SpO2 110')];
    const whole = said(createRepeatFilter()(items));
    const filter = createRepeatFilter();
    expect(said(items.flatMap((item) => filter([item])))).toEqual(whole);
    expect(whole).toEqual(['spo2=97', 'finger-out', 'spo2=97', 'SpO2 110']);
  });

  it('reports a bad value again once something else was measured in between', () => {
    const filter = createRepeatFilter();
    const out = filter([error('SpO2 110'), reading('spo2', 97), error('SpO2 110'), error('SpO2 110')]);
    expect(said(out)).toEqual(['SpO2 110', 'spo2=97', 'SpO2 110']);
  });

  it('shows a state again when it comes back after readings', () => {
    const filter = createRepeatFilter();
    expect(said(filter([status('searching'), status('searching'), reading('pulse', 80), status('searching')]))).toEqual(['searching', 'pulse=80', 'searching']);
  });
});
