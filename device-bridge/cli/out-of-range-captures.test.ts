import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contourOutOfRangeFixture, contourOutOfRangeFixtureFile } from '../drivers/contour-next/fixtures/generate';
import { freestyleOutOfRangeFixture, freestyleOutOfRangeFixtureFile } from '../drivers/freestyle/fixtures/generate';
import { hidScaleMultiFixture, hidScaleMultiFixtureFile } from '../drivers/hid-scale/fixtures/generate';
import { ultra2OutOfRangeFixture, ultra2OutOfRangeFixtureFile } from '../drivers/onetouch-ultra2/fixtures/generate';
import { drivers } from '../drivers/registry';
import { decodeCapture, type DecodeLine } from './decode-capture';

/**
 * The captures a biomedical technician checks a meter with: results beyond
 * the range (HI/LO) and unflagged values no such device can give, and a scale
 * weighing two people in a row. Each is committed (UPDATE_FIXTURES=1 rewrites
 * it from its generator) and decoded exactly as a live reading run would.
 */
const captures = [
  { driver: 'freestyle', file: `../drivers/freestyle/fixtures/${freestyleOutOfRangeFixtureFile}`, make: freestyleOutOfRangeFixture },
  { driver: 'contour-next', file: `../drivers/contour-next/fixtures/${contourOutOfRangeFixtureFile}`, make: contourOutOfRangeFixture },
  { driver: 'onetouch-ultra2', file: `../drivers/onetouch-ultra2/fixtures/${ultra2OutOfRangeFixtureFile}`, make: ultra2OutOfRangeFixture },
  { driver: 'hid-scale', file: `../drivers/hid-scale/fixtures/${hidScaleMultiFixtureFile}`, make: hidScaleMultiFixture },
] as const;

const decodeFile = (driver: keyof typeof drivers, file: string): DecodeLine[] => decodeCapture(drivers[driver], Uint8Array.from(readFileSync(new URL(file, import.meta.url))));
const shown = (lines: DecodeLine[]) => lines.map((l) => ('error' in l ? l.error : `${l.comparator ?? ''}${l.value} ${l.unit}`));

describe('out-of-range and multi-weighing captures', () => {
  it.each(captures)('the $driver capture is exactly what its generator produces', ({ file, make }) => {
    const url = new URL(file, import.meta.url);
    if (process.env.UPDATE_FIXTURES === '1') writeFileSync(url, make());
    const made = make();
    if (typeof made === 'string') expect(readFileSync(url, 'utf8')).toBe(made);
    else expect(Uint8Array.from(readFileSync(url))).toEqual(made);
  });

  it('FreeStyle: HI and LO are readings at the strip’s limits with a comparator; an unflagged 600 is refused', () => {
    expect(shown(decodeFile('freestyle', captures[0].file))).toEqual(['>500 mg/dL', '<20 mg/dL', 'out_of_range', '142 mg/dL']);
  });

  it('Contour Next: > and < results keep the meter’s value with a comparator; an unflagged 700 is refused', () => {
    expect(shown(decodeFile('contour-next', captures[1].file))).toEqual(['>600 mg/dL', '<20 mg/dL', 'out_of_range', '142 mg/dL']);
  });

  it('OneTouch Ultra 2: HIGH is a reading above 600 mg/dL; an unflagged 700 is refused', () => {
    expect(shown(decodeFile('onetouch-ultra2', captures[2].file))).toEqual(['>600 mg/dL', 'out_of_range', '95 mg/dL']);
  });

  it('scale: a baby and then its mother are two weighings, and a reading below zero is refused', () => {
    const lines = decodeFile('hid-scale', captures[3].file);
    expect(shown(lines).filter((s) => s !== 'unstable')).toEqual(['4.2 kg', '62 kg', 'out_of_range']);
  });
});
