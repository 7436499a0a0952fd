import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DecodedItem } from '../decoder';
import { createDeviceStream } from '../device-stream';
import { cms50dDriver } from './index';
import { cms50dFixture, cms50dFixtureFile } from './fixtures/generate';

const file = new URL(`./fixtures/${cms50dFixtureFile}`, import.meta.url);

describe('CMS50D+ fixture capture', () => {
  it('is exactly what the generator produces (UPDATE_FIXTURES=1 rewrites it)', () => {
    if (process.env.UPDATE_FIXTURES === '1') writeFileSync(file, cms50dFixture());
    expect(Uint8Array.from(readFileSync(file))).toEqual(cms50dFixture());
  });

  it('decodes, as a live reading run does, to the pleth wave, one SpO2 97 % and one pulse 72/min reading, then finger out', () => {
    const stream = createDeviceStream(cms50dDriver);
    const items: DecodedItem[] = [...stream.push(Uint8Array.from(readFileSync(file))), ...stream.end()];
    const summary = items.map((i) =>
      i.type === 'waveform' ? `waveform×${i.samples.length}` : i.type === 'reading' ? `${i.reading.kind}=${i.reading.value} ${i.reading.unit}` : i.type === 'status' ? i.status.status : i.error.code,
    );
    expect(summary).toEqual(['waveform×50', 'spo2=97 %', 'pulse=72 /min', 'finger-out']);
  });
});
