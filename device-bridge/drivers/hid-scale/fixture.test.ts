import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDeviceStream } from '../device-stream';
import { hidScaleDriver } from './index';
import { hidScaleFixture, hidScaleFixtureFile } from './fixtures/generate';

const file = new URL(`./fixtures/${hidScaleFixtureFile}`, import.meta.url);

describe('HID scale fixture capture', () => {
  it('is exactly what the generator produces (UPDATE_FIXTURES=1 rewrites it)', () => {
    if (process.env.UPDATE_FIXTURES === '1') writeFileSync(file, hidScaleFixture());
    expect(readFileSync(file, 'utf8')).toBe(hidScaleFixture());
  });

  it('decodes, report by report as HID delivers them, to one 72.4 kg weighing, then 159.6 lb as kg, then an overload', () => {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.every((l) => /^[0-9a-f]{12}$/.test(l))).toBe(true);
    const stream = createDeviceStream(hidScaleDriver);
    const items = lines.flatMap((l) => stream.push(Uint8Array.from(Buffer.from(l, 'hex'))));
    expect(items.flatMap((i) => (i.type === 'reading' ? [`${i.reading.value} ${i.reading.unit}`] : []))).toEqual(['72.4 kg', '72.393342 kg']);
    expect(items.at(-1)).toMatchObject({ type: 'status', status: { status: 'probe-error', detail: { scale: 'over-capacity' } } });
  });
});
