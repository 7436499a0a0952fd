import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const run = (...args: string[]) => spawnSync(process.execPath, ['bin/clinic-device.mjs', ...args], { encoding: 'utf8', timeout: 60_000 });
const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('npx clinic-device decode', () => {
  it.each([
    ['cms50d', 'device-bridge/drivers/cms50d/fixtures/live-finger-in-then-out.bin', { code: '59408-5', unit: '%' }],
    ['onetouch-ultra2', 'device-bridge/drivers/onetouch-ultra2/fixtures/dmp-dump.bin', { code: '41653-7', unit: 'mg/dL', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown }],
    ['contour-next', 'device-bridge/drivers/contour-next/fixtures/transfer.hex', { code: '41653-7', unit: 'mg/dL', time: expect.any(String) as unknown }],
    ['freestyle', 'device-bridge/drivers/freestyle/fixtures/download.hex', { code: '41653-7', unit: 'mg/dL', time: expect.any(String) as unknown }],
    ['hid-scale', 'device-bridge/drivers/hid-scale/fixtures/weighings.hex', { code: '29463-7', unit: 'kg' }],
  ])('decodes the %s capture into coded readings, one JSON object per line', (driver, file, expected) => {
    const result = run('decode', '--driver', driver, file);
    expect(result.status).toBe(0);
    const readings = lines(result.stdout).filter((l) => 'code' in l);
    expect(readings.length).toBeGreaterThan(0);
    expect(readings[0]).toMatchObject({ ...expected, value: expect.any(Number) as unknown });
  });

  it('reports garbage as errors with a reason, never as readings', () => {
    const file = join(tmpdir(), 'garbage-capture.bin');
    writeFileSync(file, Buffer.from('\x02\x01not an oximeter at all\xff\xfe', 'latin1'));
    const out = lines(run('decode', '--driver', 'onetouch-ultra2', file).stdout);
    expect(out.every((l) => 'error' in l && typeof l.reason === 'string')).toBe(true);
  });

  it('explains its usage, and a missing file, in one line', () => {
    expect(run('decode', '--driver', 'nope', 'x').stderr).toContain('Usage: npx clinic-device decode --driver');
    const missing = run('decode', '--driver', 'cms50d', '/no/such/file');
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('Cannot read the capture file "/no/such/file".');
  });
});
