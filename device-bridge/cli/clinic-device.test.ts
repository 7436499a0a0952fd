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

  it('prints a result beyond the meter’s range with its comparator, its value the meter’s limit', () => {
    const result = run('decode', '--driver', 'freestyle', 'device-bridge/drivers/freestyle/fixtures/download-hi-lo.hex');
    expect(result.status).toBe(0);
    const out = lines(result.stdout);
    expect(out[0]).toEqual({ kind: 'glucoseMass', code: '41653-7', value: 500, unit: 'mg/dL', time: '2024-03-06T08:15:00', comparator: '>' });
    expect(out[1]).toMatchObject({ value: 20, comparator: '<' });
    expect(out[2]).toEqual({ error: 'out_of_range', reason: expect.stringContaining('outside the meter') as unknown });
  });

  it('decodes a live capture as a live reading run would: one reading per change, then finger_out', () => {
    const out = lines(run('decode', '--driver', 'cms50d', 'device-bridge/drivers/cms50d/fixtures/live-finger-in-then-out.bin').stdout);
    expect(out).toEqual([
      { kind: 'spo2', code: '59408-5', value: 97, unit: '%' },
      { kind: 'pulse', code: '8867-4', value: 72, unit: '/min' },
      { error: 'finger_out', reason: expect.any(String) as unknown },
    ]);
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
