import { describe, expect, it } from 'vitest';
import type { DecodedItem } from '../decoder';
import { createStreamDecoder } from '../decoder';
import { createDeviceStream } from '../device-stream';
import { decodeHidScale } from './decoder';
import { hidScaleDriver } from './index';
import { scaleReport, scaleWeighing } from './simulator';
import { toHex, concat } from '../../../app/crypto/bytes';

const what = (items: DecodedItem[]) =>
  items.map((i) =>
    i.type === 'reading' ? `${i.reading.value} ${i.reading.unit}` : i.type === 'status' ? `${i.status.status}:${String(i.status.detail?.scale)}` : i.type === 'error' ? i.error.code : i.type,
  );

describe('HID scale decoder', () => {
  it('reads a stable weight as body weight in kg, after the zero and in-motion states', () => {
    const reports = scaleWeighing({ weight: 724, unit: 'kg', exponent: -1 });
    expect(decodeHidScale(concat(reports)).consumed).toBe(reports.length * 6);
    const stream = createDeviceStream(hidScaleDriver);
    const items = reports.flatMap((r) => stream.push(r));
    expect(what(items)).toEqual(['ok:zero', 'searching:in-motion', '72.4 kg']);
    expect(items.at(-1)).toEqual({
      type: 'reading',
      reading: { kind: 'bodyWeight', code: '29463-7', value: 72.4, unit: 'kg', raw: toHex(reports.at(-1) ?? new Uint8Array()) },
    });
  });

  it('says what each report says, in order: the decoder keeps nothing from one report to the next', () => {
    const bytes = concat([
      scaleReport({ status: 4, unit: 3, exponent: -1, weight: 700 }),
      scaleReport({ status: 3, unit: 3, exponent: -1, weight: 650 }),
      scaleReport({ status: 4, unit: 3, exponent: -1, weight: 701 }),
      scaleReport({ status: 6, unit: 3, exponent: -1, weight: 0 }),
    ]);
    expect(what(decodeHidScale(bytes).items)).toEqual(['70 kg', 'searching:in-motion', '70.1 kg', 'probe-error:over-capacity']);
  });

  it('weighs a baby and then its mother as two readings, however the reports are batched', () => {
    const stable = (weight: number) => scaleReport({ status: 4, unit: 3, exponent: -1, weight });
    // Baby held steady, then mother steps on and the scale settles straight onto her weight.
    const reports = [...Array.from({ length: 6 }, () => stable(42)), ...Array.from({ length: 6 }, () => stable(620))];
    for (const batch of [1, 2, 5, 12]) {
      const stream = createDeviceStream(hidScaleDriver);
      const items: DecodedItem[] = [];
      for (let at = 0; at < reports.length; at += batch) items.push(...stream.push(concat(reports.slice(at, at + batch))));
      expect(what(items)).toEqual(['4.2 kg', '62 kg']);
    }
  });

  it('counts the same weight again after the scale was in motion as a new weighing', () => {
    const stream = createDeviceStream(hidScaleDriver);
    const items = [
      scaleReport({ status: 4, unit: 3, exponent: -1, weight: 700 }),
      scaleReport({ status: 4, unit: 3, exponent: -1, weight: 700 }),
      scaleReport({ status: 3, unit: 3, exponent: -1, weight: 300 }),
      scaleReport({ status: 4, unit: 3, exponent: -1, weight: 700 }),
    ].flatMap((r) => stream.push(r));
    expect(what(items)).toEqual(['70 kg', 'searching:in-motion', '70 kg']);
  });

  it('converts pounds and ounces exactly, rounded to the milligram', () => {
    const item = decodeHidScale(scaleReport({ status: 4, unit: 12, exponent: -1, weight: 1596 })).items[0];
    expect(item?.type === 'reading' && item.reading.value).toBe(72.393342);
  });

  it('shows fault and calibration states, and refuses a weight below zero with what to do', () => {
    const bytes = concat([1, 5, 7, 8].map((status) => scaleReport({ status, unit: 3, exponent: -1, weight: 0 })));
    const items = decodeHidScale(bytes).items;
    expect(what(items)).toEqual(['probe-error:fault', 'out_of_range', 'probe-error:needs-calibration', 'probe-error:needs-rezeroing']);
    expect(items[1]?.type === 'error' && items[1].error.reason).toMatch(/below zero.*zero it again/);
  });

  it('refuses a weight no patient has, an unknown unit and an unknown status', () => {
    expect(what(decodeHidScale(scaleReport({ status: 4, unit: 2, exponent: 0, weight: 150 })).items)).toEqual(['out_of_range']);
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
