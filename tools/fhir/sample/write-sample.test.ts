import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, Observation, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirErrors, loadFhirValidators } from '../validators';
import { danglingReferences } from '../../../app/fhir/dangling-references';
import { writeSample, type SampleOptions } from './write-sample';

const root = mkdtempSync(join(tmpdir(), 'clinic-sample-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const sample = async (options: Omit<SampleOptions, 'out'>) => {
  const out = join(root, `sample-${++folders}`);
  return { out, ...(await writeSample({ ...options, out })) };
};
const ndjsonResources = (out: string): Resource[] =>
  readdirSync(out)
    .filter((file) => file.endsWith('.ndjson'))
    .flatMap((file) => readFileSync(join(out, file), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Resource));
const label = (resource: Resource) => `${resource.resourceType}/${resource.id ?? ''}`;

beforeAll(() => {
  loadFhirValidators();
}, 30_000);

describe('clinic-fhir sample', () => {
  it('writes a clinic whose every resource passes every validator and refers only to resources in the export', async () => {
    const { out, resources, files } = await sample({ patients: 40, seed: 7, format: 'ndjson' });
    const all = ndjsonResources(out);
    expect(all).toHaveLength(resources);
    expect(files).toContain('manifest.json');
    const errors = all.flatMap((resource) => fhirErrors(resource).map((problem) => `${label(resource)}: ${JSON.stringify(problem)}`));
    expect(errors).toEqual([]);
    expect(danglingReferences(all)).toEqual([]);
    // The kinds of record an integrator needs to see, from the devices the app has drivers for.
    const types = new Set(all.map((resource) => resource.resourceType));
    expect(types).toEqual(new Set(['Organization', 'Location', 'Device', 'Practitioner', 'PractitionerRole', 'Patient', 'Encounter', 'Observation', 'Provenance']));
    const observations = all.filter((resource): resource is Observation => resource.resourceType === 'Observation');
    expect(observations.every((observation) => observation.encounter !== undefined)).toBe(true);
    expect(observations.some((observation) => observation.valueQuantity?.comparator === '>')).toBe(true);
    expect(observations.some((observation) => observation.code.coding?.[0]?.code === '1104051000000101')).toBe(true);
    expect(observations.some((observation) => observation.code.coding?.[0]?.code === '85354-9')).toBe(true);
  });

  it('writes the same files for the same seed, and another clinic for another', async () => {
    const first = await sample({ patients: 5, seed: 3, format: 'transaction' });
    const again = await sample({ patients: 5, seed: 3, format: 'transaction' });
    const other = await sample({ patients: 5, seed: 4, format: 'transaction' });
    const text = (out: string) => readFileSync(join(out, 'bundle.json'), 'utf8');
    expect(text(again.out)).toBe(text(first.out));
    expect(text(other.out)).not.toBe(text(first.out));
    const bundle = JSON.parse(text(first.out)) as Bundle;
    expect(bundle.type).toBe('transaction');
    expect(fhirErrors(bundle)).toEqual([]);
  });

  it('refuses a folder that already holds files, and writes nothing into it', async () => {
    const out = mkdtempSync(join(root, 'not-empty-'));
    writeFileSync(join(out, 'notes.txt'), 'the district office’s notes');
    await expect(writeSample({ patients: 1, seed: 1, format: 'ndjson', out })).rejects.toThrow(/is not empty/);
    expect(readdirSync(out)).toEqual(['notes.txt']);
  });
});
