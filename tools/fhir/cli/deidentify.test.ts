import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeidReport } from '../../../app/deid/deid-run';
import { findLeaks } from '../../deid/phi-checker';
import { phiCase } from '../../deid/phi-corpus';

// The real command, as an integrator runs it.
const run = (...args: string[]) => spawnSync(process.execPath, ['bin/clinic-fhir.mjs', ...args], { encoding: 'utf8', timeout: 120_000 });

type Json = Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'clinic-deid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (...parts: string[]) => join(dir, ...parts);
const lines = (file: string): Json[] => readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Json);
const reportOf = (out: string) => JSON.parse(readFileSync(join(out, 'deid-report.json'), 'utf8')) as DeidReport & { files: { file: string; problems: { where: string; problem: string }[] }[] };

/** Names, numbers and addresses of the sample's patients, as written there. */
function identifiersIn(folder: string): string[] {
  return lines(join(folder, 'Patient.ndjson')).flatMap((patient) => {
    const names = ((patient['name'] as Json[] | undefined) ?? []).flatMap((name) => [name['family'], ...((name['given'] as unknown[] | undefined) ?? [])]);
    const numbers = ((patient['identifier'] as Json[] | undefined) ?? []).map((identifier) => identifier['value']);
    const phones = ((patient['telecom'] as Json[] | undefined) ?? []).map((telecom) => telecom['value']);
    return [...names, ...numbers, ...phones, patient['id']].filter((value): value is string => typeof value === 'string');
  });
}

describe('clinic-fhir deidentify', { timeout: 60_000 }, () => {
  const sample = at('sample');
  beforeAll(() => {
    const made = run('sample', '--patients', '30', '--out', sample, '--seed', '3');
    expect(made.status, made.stderr).toBe(0);
    writeFileSync(at('keys.json'), JSON.stringify({ cryptoHashKey: 'district hash key', dateShiftKey: 'district shift key' }));
  }, 120_000);

  it('writes each file under its name with the manifest’s counts, a Safe Harbor report, and none of the patients’ identifiers', () => {
    const out = at('out-sh');
    const done = run('deidentify', '--in', sample, '--out', out, '--key-file', at('keys.json'));
    expect(done.status, done.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual([...readdirSync(sample), 'deid-report.json'].sort());
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { output: { type: string; url: string; count: number }[] };
    for (const item of manifest.output) expect(lines(join(out, item.url)).length, item.type).toBe(item.count);
    const report = reportOf(out);
    expect(report).toMatchObject({ profile: 'safe-harbor', safeHarbor: true, dates: 'year', linkable: true });
    const identifiers = identifiersIn(sample);
    expect(identifiers.length).toBeGreaterThan(60);
    const written = readdirSync(out).filter((name) => name.endsWith('.ndjson')).flatMap((name) => lines(join(out, name)));
    expect(written.length).toBe(report.resources.out);
    expect(findLeaks(written, identifiers)).toEqual([]);
    expect(done.stdout).toMatch(/resources de-identified, 0 held back/);
  });

  it('links two runs made with the same keys, and not two runs with keys made at random', () => {
    const ids = (out: string) => lines(join(out, 'Patient.ndjson')).map((patient) => patient['id']);
    expect(run('deidentify', '--in', sample, '--out', at('again'), '--key-file', at('keys.json')).status).toBe(0);
    expect(ids(at('again'))).toEqual(ids(at('out-sh')));
    const random = run('deidentify', '--in', sample, '--out', at('random'));
    expect(random.status).toBe(0);
    expect(random.stdout).toMatch(/cannot be linked/);
    expect(reportOf(at('random')).linkable).toBe(false);
    expect(ids(at('random'))).not.toEqual(ids(at('out-sh')));
  });

  it('under the ODH profile with k, reports k-anonymity and says it is not Safe Harbor', () => {
    const out = at('out-odh');
    const done = run('deidentify', '--in', sample, '--out', out, '--profile', 'odh', '--k', '5', '--quasi', 'age-band,sex');
    expect(done.status, done.stderr).toBe(0);
    const report = reportOf(out);
    expect(report.safeHarbor).toBe(false);
    expect(report.statement).toMatch(/not HIPAA Safe Harbor/);
    expect(report.kAnonymity!.k).toBe(5);
    expect(report.kAnonymity!.quasiIdentifiers.map((q) => q.name)).toEqual(['age-band', 'sex']);
    expect(lines(join(out, 'Patient.ndjson')).length).toBe(30 - report.kAnonymity!.heldBack.patients);
  });

  it('says when shifted dates are not Safe Harbor', () => {
    expect(run('deidentify', '--in', sample, '--out', at('out-shift'), '--dates', 'shift').status).toBe(0);
    expect(reportOf(at('out-shift'))).toMatchObject({ safeHarbor: false, dates: 'shift' });
    expect(reportOf(at('out-shift')).statement).toMatch(/^Not HIPAA Safe Harbor/);
  });

  it('takes a planted-PHI transaction bundle and leaves none of it', () => {
    const { bundle, planted } = phiCase();
    writeFileSync(at('corpus.json'), JSON.stringify(bundle));
    const out = at('out-corpus');
    expect(run('deidentify', '--in', at('corpus.json'), '--out', out).status).toBe(0);
    expect(findLeaks(JSON.parse(readFileSync(join(out, 'corpus.json'), 'utf8')), planted)).toEqual([]);
  });

  it('lists a broken or misshapen line by its number and exits 1, with no PHI in what it says', () => {
    const broken = at('broken');
    rmSync(broken, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', broken]);
    const good = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Wanjiku' }], gender: 'female' };
    const misshapen = { resourceType: 'Patient', id: 'p2', name: 'Wanjiku Zuberi' };
    writeFileSync(join(broken, 'Patient.ndjson'), `${JSON.stringify(good)}\n{"resourceType":"Patient","name":[{"family":"Zuberi Kalolwe"\n${JSON.stringify(misshapen)}\n`);
    const out = at('out-broken');
    const done = run('deidentify', '--in', broken, '--out', out);
    expect(done.status).toBe(1);
    const report = reportOf(out);
    expect(report.files[0]!.problems).toEqual([
      { where: 'line 2', problem: 'not a FHIR resource as JSON: the line was left out' },
      { where: 'line 3', problem: 'not shaped as FHIR R4 says (at Patient.name): it was left out' },
    ]);
    expect(lines(join(out, 'Patient.ndjson'))).toHaveLength(1);
    for (const text of [done.stdout, done.stderr, readFileSync(join(out, 'deid-report.json'), 'utf8')]) expect(text).not.toMatch(/Zuberi|Kalolwe|Wanjiku/);
  });

  it('refuses bad usage with exit 2 and says what is wrong, never a key', () => {
    const expectUsage = (args: string[], message: RegExp) => {
      const done = run('deidentify', ...args);
      expect(done.status, args.join(' ')).toBe(2);
      expect(done.stderr).toMatch(message);
    };
    expectUsage(['--out', at('x')], /--in/);
    expectUsage(['--in', sample], /--out/);
    expectUsage(['--in', sample, '--out', at('x'), '--profile', 'hipaa'], /--profile must be safe-harbor or odh/);
    expectUsage(['--in', sample, '--out', at('x'), '--dates', 'month'], /--dates must be year or shift/);
    expectUsage(['--in', sample, '--out', at('x'), '--k', 'five'], /--k must be a whole number/);
    expectUsage(['--in', sample, '--out', at('x'), '--quasi', 'age-band,religion'], /"religion" is not a quasi-identifier/);
    expectUsage(['--in', at('nowhere'), '--out', at('x')], /does not exist/);
    expectUsage(['--in', sample, '--out', sample], /must not be the folder the input is in/);
    expectUsage(['--in', sample, '--out', at('x'), '--bogus'], /Unknown option/);
    writeFileSync(at('bad-config.json'), JSON.stringify({ fhirPathRules: [{ path: 'Patient.name', method: 'redact', replaceWith: 'x' }], parameters: { cryptoHashKey: 'secret-never-shown' } }));
    const done = run('deidentify', '--in', sample, '--out', at('x'), '--config', at('bad-config.json'));
    expect(done.status).toBe(2);
    expect(done.stderr).toMatch(/fhirPathRules\[0\]/);
    expect(done.stderr).not.toMatch(/secret-never-shown/);
  });

  it('replaces the profile’s rules with a configuration in Microsoft’s format, and uses its keys', () => {
    writeFileSync(at('config.json'), JSON.stringify({ fhirPathRules: [{ path: 'Resource.id', method: 'cryptoHash' }, { path: 'descendants().ofType(Reference).reference', method: 'cryptoHash' }, { path: 'Patient.name', method: 'redact' }], parameters: { cryptoHashKey: 'config hash', dateShiftKey: 'config shift' } }));
    const out = at('out-config');
    expect(run('deidentify', '--in', sample, '--out', out, '--config', at('config.json')).status).toBe(0);
    expect(reportOf(out)).toMatchObject({ profile: 'configuration', safeHarbor: false, linkable: true });
    const patient = lines(join(out, 'Patient.ndjson'))[0]!;
    expect(patient['name']).toBeUndefined();
    expect(patient['gender']).toBeDefined();
  });
});
