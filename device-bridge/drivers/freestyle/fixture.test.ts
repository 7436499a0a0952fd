import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDeviceStream } from '../device-stream';
import { freestyleFixture, freestyleFixtureFile } from './fixtures/generate';
import { freestyleDriver } from './index';

const file = new URL(`./fixtures/${freestyleFixtureFile}`, import.meta.url);

describe('FreeStyle fixture capture', () => {
  it('is exactly what the generator produces (UPDATE_FIXTURES=1 rewrites it)', () => {
    if (process.env.UPDATE_FIXTURES === '1') writeFileSync(file, freestyleFixture());
    expect(readFileSync(file, 'utf8')).toBe(freestyleFixture());
  });

  it('decodes, report by report as HID delivers them, to the serial, two readings and the meter’s clock', () => {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.every((l) => /^[0-9a-f]{128}$/.test(l))).toBe(true);
    const stream = createDeviceStream(freestyleDriver);
    const items = [...lines.flatMap((l) => stream.push(Uint8Array.from(Buffer.from(l, 'hex')))), ...stream.end()];
    expect(items.find((i) => i.type === 'status' && i.status.status === 'header')).toMatchObject({ status: { detail: { serial: 'SIMNEO1-00042' } } });
    expect(items.flatMap((i) => (i.type === 'reading' ? [[i.reading.kind, i.reading.value, i.reading.unit, i.reading.time]] : []))).toEqual([
      ['glucoseMass', 118, 'mg/dL', '2024-03-04T19:05:00'],
      ['glucoseMass', 96, 'mg/dL', '2024-03-04T07:40:00'],
    ]);
    expect(items.find((i) => i.type === 'status' && i.status.status === 'end')).toMatchObject({ status: { detail: { link: 'results', count: 3 } } });
    expect(items.at(-1)).toMatchObject({ type: 'status', status: { status: 'header', detail: { meterTime: '2024-03-05T09:30:00' } } });
  });
});
