import { describe, expect, it } from 'vitest';
import type { DecodedItem } from '../decoder';
import { createStreamDecoder, toHex } from '../decoder';
import { decodeHidScale } from './decoder';
import { scaleReport, scaleWeighing } from './simulator';

const concat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));
const what = (items: DecodedItem[]) =>
  items.map((i) =>
    i.type === 'reading' ? `${i.reading.value} ${i.reading.unit}` : i.type === 'status' ? `${i.status.status}:${String(i.status.detail?.scale)}` : i.type === 'error' ? i.error.code : i.type,
  );

describe('HID scale decoder', () => {
  it('reads a stable weight as body weight in kg, after the zero and in-motion states', () => {
    const reports = scaleWeighing({ weight: 724, unit: 'kg', exponent: -1 });
    const step = decodeHidScale(concat(reports));
    expect(step.consumed).toBe(reports.length * 6);
    expect(what(step.items)).toEqual(['ok:zero', 'searching:in-motion', '72.4 kg']);
    expect(step.items.at(-1)).toEqual({
      type: 'reading',
      reading: { kind: 'bodyWeight', code: '29463-7', value: 72.4, unit: 'kg', raw: toHex(reports.at(-1) ?? new Uint8Array()) },
    });
  });

  it('gives one reading per call, the last stable weight, and keeps the order of states', () => {
    const bytes = concat([
      scaleReport({ status: 4, unit: 3, exponent: -1, weight: 700 }),
      scaleReport({ status: 3, unit: 3, exponent: -1, weight: 650 }),
      scaleReport({ status: 4, unit: 3, exponent: -1, weight: 701 }),
      scaleReport({ status: 6, unit: 3, exponent: -1, weight: 0 }),
    ]);
    expect(what(decodeHidScale(bytes).items)).toEqual(['searching:in-motion', '70.1 kg', 'probe-error:over-capacity']);
  });

  it('converts pounds and ounces exactly, rounded to the milligram', () => {
    const item = decodeHidScale(scaleReport({ status: 4, unit: 12, exponent: -1, weight: 1596 })).items[0];
    expect(item?.type === 'reading' && item.reading.value).toBe(72.393342);
  });

  it('shows fault, under zero and calibration states', () => {
    const bytes = concat([1, 5, 7, 8].map((status) => scaleReport({ status, unit: 3, exponent: -1, weight: 0 })));
    expect(what(decodeHidScale(bytes).items)).toEqual([
      'probe-error:fault',
      'probe-error:under-zero',
      'probe-error:needs-calibration',
      'probe-error:needs-rezeroing',
    ]);
  });

  it('refuses a weight no patient has, an unknown unit and an unknown status', () => {
    expect(what(decodeHidScale(scaleReport({ status: 4, unit: 2, exponent: 0, weight: 150 })).items)).toEqual(['implausible']);
    expect(what(decodeHidScale(scaleReport({ status: 4, unit: 4, exponent: 0, weight: 150 })).items)).toEqual(['unsupported']);
    expect(what(decodeHidScale(scaleReport({ status: 9, unit: 3, exponent: 0, weight: 70 })).items)).toEqual(['unsupported']);
  });

  it('reports reports other than data report 3 as garbled, one item per run', () => {
    const foreign = scaleReport({ reportId: 2, status: 4, unit: 3, exponent: 0, weight: 70 });
    const good = scaleReport({ status: 4, unit: 3, exponent: 0, weight: 70 });
    const items = decodeHidScale(concat([foreign, foreign, good])).items;
    expect(what(items)).toEqual(['garbled', '70 kg']);
    expect(items[0]?.type === 'error' && items[0].error.raw).toBe(toHex(concat([foreign, foreign])));
  });

  it('leaves a partial report for the next call', () => {
    const good = scaleReport({ status: 4, unit: 3, exponent: 0, weight: 70 });
    expect(decodeHidScale(good.subarray(0, 4))).toEqual({ consumed: 0, items: [] });
    const stream = createStreamDecoder(decodeHidScale);
    expect(what([...stream.push(good.subarray(0, 4)), ...stream.push(good.subarray(4))])).toEqual(['70 kg']);
  });
});
