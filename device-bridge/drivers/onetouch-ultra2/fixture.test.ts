import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DecodedItem } from '../decoder';
import { createStreamDecoder } from '../decoder';
import { decodeUltra2 } from './decoder';
import { ultra2Fixture, ultra2FixtureFile } from './fixtures/generate';
import { createUltra2Handshake } from './handshake';

const file = new URL(`./fixtures/${ultra2FixtureFile}`, import.meta.url);

describe('OneTouch Ultra 2 fixture capture', () => {
  it('is exactly what the generator produces (UPDATE_FIXTURES=1 rewrites it)', () => {
    if (process.env.UPDATE_FIXTURES === '1') writeFileSync(file, ultra2Fixture());
    expect(Uint8Array.from(readFileSync(file))).toEqual(ultra2Fixture());
  });

  it('decodes to the header, three patient results in mg/dL, the control test refused, and the meter’s clock, and ends the handshake', () => {
    const stream = createStreamDecoder(decodeUltra2);
    const items: DecodedItem[] = [...stream.push(Uint8Array.from(readFileSync(file))), ...stream.end()];
    expect(items[0]).toMatchObject({ type: 'status', status: { status: 'header', detail: { count: 4, serial: 'ZZA1234BY', unit: 'MMOL/L' } } });
    expect(items.flatMap((i) => (i.type === 'reading' ? [`${i.reading.time} ${i.reading.value} ${i.reading.unit}`] : []))).toEqual([
      '2024-03-21T16:45:24 81 mg/dL',
      '2024-03-21T16:42:11 105 mg/dL',
      '2024-03-19T21:30:08 176 mg/dL',
    ]);
    expect(items.flatMap((i) => (i.type === 'error' ? [i.error.code] : []))).toEqual(['unsupported']);
    expect(items.at(-1)).toMatchObject({ type: 'status', status: { status: 'header', detail: { meterTime: '2024-03-22T09:30:05' } } });
    const handshake = createUltra2Handshake();
    const clockAt = items.length - 1;
    expect(handshake.onItems(items.slice(0, clockAt)).done).toBe(false);
    expect(handshake.onItems(items.slice(clockAt)).done).toBe(true);
  });
});
