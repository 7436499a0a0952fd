import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { afterAll, describe, expect, it } from 'vitest';
import { fullUrlFor } from '../../../app/fhir/ids';
import { toFhirObservations } from '../../../app/fhir/observation';
import { patientFhirIdOf, toFhirPatient } from '../../../app/fhir/patient';
import { clinicId, patient, reading } from '../../../app/fhir/test-support';
import { resourcesIn } from './validate-files';

// The real command, as an integrator runs it: each run that validates loads
// the definitions (about 2 s), so the files are checked a few per run.
const run = (...args: string[]) => spawnSync(process.execPath, ['bin/clinic-fhir.mjs', ...args], { encoding: 'utf8', timeout: 60_000 });

const dir = mkdtempSync(join(tmpdir(), 'clinic-fhir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const ndjson = (resources: readonly unknown[]): string => resources.map((resource) => `${JSON.stringify(resource)}\n`).join('');

// A patient and an SpO2 reading, through the app's own mapping.
const fhirPatient = toFhirPatient(patient(), { clinicId, id: await patientFhirIdOf(patient()) });
const [spo2] = await toFhirObservations([reading('spo2', 97)]);
if (spo2 === undefined) throw new Error('the mapping made no Observation');
const resources: Resource[] = [fhirPatient, spo2];

const transaction: Bundle = {
  resourceType: 'Bundle',
  type: 'transaction',
  entry: resources.map((resource) => ({
    fullUrl: fullUrlFor(resource.resourceType, resource.id ?? ''),
    resource,
    request: { method: 'PUT', url: `${resource.resourceType}/${resource.id ?? ''}` },
  })),
};
const manifest = {
  transactionTime: '2025-06-15T10:00:00+02:00',
  request: 'https://clinic.example/fhir/$export',
  requiresAccessToken: false,
  output: [{ type: 'Patient', url: 'Patient.ndjson' }, { type: 'Observation', url: 'Observation.ndjson' }],
  error: [],
};

// The same export, spoiled three ways: a unit that is not UCUM (and not the profile's), a reading at a time the calendar lacks, a line cut short.
const bpm = { ...spo2, valueQuantity: { value: 97, unit: 'bpm', system: 'http://unitsofmeasure.org', code: 'bpm' } };
const february30 = { ...spo2, effectiveDateTime: '2025-02-30T09:30:00+02:00' };
const corrupted = `${ndjson([fhirPatient, bpm, february30])}{"resourceType": "Observation", "id": \n`;

// A transaction whose first entry has no request (the Bundle's own rule bdl-3) and whose Observation has a status FHIR lacks.
const spoiledTransaction = {
  ...transaction,
  entry: [{ ...transaction.entry?.[0], request: undefined }, { ...transaction.entry?.[1], resource: { ...spo2, status: 'finall' } }],
};

const validNdjson = write('export.ndjson', ndjson(resources));
const bundle = write('bundle.json', JSON.stringify(transaction, null, 2));
const manifestFile = write('manifest.json', JSON.stringify(manifest));
const corruptedNdjson = write('corrupted.ndjson', corrupted);
const spoiledBundle = write('spoiled-bundle.json', JSON.stringify(spoiledTransaction));
const spo2Label = `Observation/${spo2.id ?? ''}`;

// Each test runs the command as its own Node process (the validators load their definitions in about 2 s): on a busy
// two-core machine that is seconds, more than the default 5 s a test gets.
describe('npx clinic-fhir validate', { timeout: 60_000 }, () => {
  it('passes the app’s own NDJSON and transaction Bundle, and skips the $export manifest with a note', () => {
    const result = run('validate', validNdjson, bundle, manifestFile);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n');
    // Warnings (the fhir package's "not in value set" for ordinary LOINC codes) are counted, not printed.
    expect(lines.filter((line) => line.startsWith('warning:'))).toEqual([]);
    expect(lines).toContain(`${manifestFile}: skipped: a $export manifest (it lists the NDJSON files; validate those)`);
    // Two in the NDJSON; two entries and the Bundle itself.
    expect(lines.at(-1)).toMatch(/^5 resources, 0 errors, \d+ warnings in 3 files$/);
    expect(result.status).toBe(0);
  });

  it('names the file, line, resource and path of each problem, and exits 1', () => {
    const result = run('validate', '--warnings', corruptedNdjson, validNdjson, spoiledBundle);
    const lines = result.stdout.trim().split('\n');
    const errors = lines.filter((line) => !line.startsWith('warning:'));
    expect(errors).toEqual(
      expect.arrayContaining([
        `${corruptedNdjson}:line 2: ${spo2Label} Observation.valueQuantity.code: “bpm” is not a UCUM unit code (the system says UCUM) [ucum]`,
        `${corruptedNdjson}:line 2: ${spo2Label} Observation.valueQuantity.code: “bpm” where the profile requires “%” [profile:oxygensat]`,
        `${corruptedNdjson}:line 3: ${spo2Label} Observation.effectiveDateTime: “2025-02-30T09:30:00+02:00” is not a calendar date: February 2025 has 28 days [dates]`,
        expect.stringMatching(new RegExp(`^${escape(corruptedNdjson)}:line 4: not JSON: .+ \\[json\\]$`)) as unknown,
        // An entry is numbered as in Bundle.entry[N]; the Bundle's own rules are reported for the Bundle.
        expect.stringMatching(new RegExp(`^${escape(spoiledBundle)}:entry 1: ${spo2Label} Observation\\.status: .*finall.* \\[fhir\\]$`)) as unknown,
        expect.stringMatching(new RegExp(`^${escape(spoiledBundle)}: Bundle Bundle: Constraint bdl-3 not met: .* \\[medplum\\]$`)) as unknown,
      ]),
    );
    // Nothing in the valid file, nothing about the patient on line 1.
    expect(errors.filter((line) => line.startsWith(`${validNdjson}:`) || line.startsWith(`${corruptedNdjson}:line 1:`))).toEqual([]);
    // With --warnings, the warnings are printed too, each marked as one.
    expect(lines.some((line) => line.startsWith(`warning: ${corruptedNdjson}:line `))).toBe(true);
    // Each problem once: the Bundle's shell does not repeat its entries'.
    expect(errors.filter((line) => line.startsWith(`${spoiledBundle}:`))).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/^8 resources, 6 errors, [1-9]\d* warnings in 3 files$/);
    expect(result.status).toBe(1);
  });

  it('refuses bad usage with the reason in plain words, and exits 2', () => {
    const noFiles = run('validate');
    expect([noFiles.status, noFiles.stderr]).toEqual([2, expect.stringMatching(/^No files given\.\nUsage: npx clinic-fhir validate \[--warnings\] <file>\.\.\./) as unknown]);
    const unknownCommand = run('check', validNdjson);
    expect([unknownCommand.status, unknownCommand.stderr]).toEqual([2, expect.stringMatching(/^Unknown command "check"\.\nUsage: /) as unknown]);
    const unknownOption = run('validate', '--strict', validNdjson);
    expect([unknownOption.status, unknownOption.stderr]).toEqual([2, expect.stringMatching(/^Unknown option '--strict'\.\nUsage: /) as unknown]);
    const missing = run('validate', validNdjson, join(dir, 'no-such.ndjson'));
    expect([missing.status, missing.stderr, missing.stdout]).toEqual([2, `The file "${join(dir, 'no-such.ndjson')}" does not exist.\n`, '']);
    const noCount = run('sample', '--out', join(dir, 'never'));
    expect([noCount.status, noCount.stderr]).toEqual([2, expect.stringMatching(/^Say how many patients: --patients <n>\.\nUsage: /) as unknown]);
    const badFormat = run('sample', '--patients', '2', '--out', join(dir, 'never'), '--format', 'xml');
    expect([badFormat.status, badFormat.stderr]).toEqual([2, expect.stringMatching(/^--format must be ndjson, transaction or collection, not "xml"\./) as unknown]);
    const notEmpty = run('sample', '--patients', '2', '--out', dir);
    expect([notEmpty.status, notEmpty.stderr]).toEqual([2, `The folder "${dir}" is not empty: give a new or empty folder, so the sample is not mixed with other files.\n`]);
  });

  it('writes a sample clinic that validate accepts whole, in each format', () => {
    for (const format of ['ndjson', 'collection']) {
      const out = join(dir, `sample-${format}`);
      const written = run('sample', '--patients', '12', '--out', out, '--format', format, '--seed', '42');
      expect([written.status, written.stderr]).toEqual([0, '']);
      expect(written.stdout).toMatch(new RegExp(`^\\d+ resources for 12 patients written to ${out}: `));
      const files = written.stdout.trim().split(': ')[1]!.split(', ').map((file) => join(out, file));
      const checked = run('validate', ...files);
      expect([checked.status, checked.stdout.trim().split('\n').at(-1)]).toEqual([0, expect.stringMatching(/^\d+ resources, 0 errors, \d+ warnings in \d+ files$/) as unknown]);
    }
  }, 120_000);
});

describe('resourcesIn', () => {
  it('finds one resource per NDJSON line, numbered from 1, past blank and Windows line ends', () => {
    const found = resourcesIn('x.ndjson', `${JSON.stringify(fhirPatient)}\r\n\r\n${JSON.stringify(spo2)}\r\n`);
    expect(found).toEqual({ kind: 'resources', problems: [], resources: [{ location: { kind: 'line', number: 1 }, resource: fhirPatient }, { location: { kind: 'line', number: 3 }, resource: spo2 }] });
  });

  it('finds a Bundle’s entries, numbered as in Bundle.entry[N], then the Bundle itself', () => {
    const found = resourcesIn('bundle.json', JSON.stringify(transaction));
    expect(found.kind === 'resources' && found.resources.map(({ location, isBundle }) => [location, isBundle ?? false])).toEqual([
      [{ kind: 'entry', index: 0 }, false],
      [{ kind: 'entry', index: 1 }, false],
      [{ kind: 'file' }, true],
    ]);
  });

  it('skips a $export manifest, even with a .json name, and reads a lone resource as one', () => {
    expect(resourcesIn('manifest.json', JSON.stringify(manifest)).kind).toBe('skipped');
    expect(resourcesIn('patient.json', JSON.stringify(fhirPatient))).toEqual({ kind: 'resources', problems: [], resources: [{ location: { kind: 'file' }, resource: fhirPatient }] });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
