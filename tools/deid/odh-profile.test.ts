import { beforeAll, describe, expect, it } from 'vitest';
import { DeidRun } from '../../app/deid/deid-run';
import { hmacKey } from '../../app/deid/deid-engine';
import { EXTENSION } from '../../app/fhir/systems';
import { fhirErrors, loadFhirValidators, type FhirProblem } from '../fhir/validators';
import { phiCase } from './phi-corpus';
import { findLeaks } from './phi-checker';

type Json = Record<string, unknown>;

const now = new Date('2026-12-06T12:00:00Z');
const keys = async () => ({ hash: await hmacKey('odh hash key'), dateShift: await hmacKey('odh shift key') });

/** A seeded population: patients across four districts, ages 0 to 99, each with two SpO2 readings. */
function population(size: number, seed = 7): Json[] {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const resources: Json[] = [];
  for (let i = 0; i < size; i++) {
    const id = `p${i}`;
    const year = 2026 - Math.floor(random() * 100);
    resources.push({
      resourceType: 'Patient',
      id,
      name: [{ family: `Family${i}x`, given: [`Given${i}y`] }],
      gender: pick(['female', 'male']),
      birthDate: `${year}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
      address: [{ use: 'home', city: `Village${i}z`, district: pick(['Arumeru', 'Meru', 'Karatu', 'Monduli']), state: 'Arusha', country: 'TZ' }],
    });
    for (const day of [3, 17]) {
      resources.push({
        resourceType: 'Observation',
        id: `o${i}-${day}`,
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '59408-5' }] },
        subject: { reference: `Patient/${id}` },
        effectiveDateTime: `2026-11-${day}T09:00:00+03:00`,
        valueQuantity: { value: 90 + (i % 10), unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
      });
    }
  }
  return resources;
}

async function run(resources: Json[], settings: Partial<ConstructorParameters<typeof DeidRun>[0]>) {
  const deid = new DeidRun({ profile: 'odh', keys: await keys(), linkable: true, now, ...settings });
  for (const resource of resources) deid.learn(resource);
  const out: Json[] = [];
  for (const resource of resources) {
    const done = await deid.resource(resource);
    if (done !== undefined) out.push(done);
  }
  return { out, report: deid.report() };
}

/** What a released patient shows of the quasi-identifiers. */
const groupOf = (patient: Json) => JSON.stringify([(patient['extension'] as Json[] | undefined)?.find((e) => e['url'] === EXTENSION.ageBand)?.['valueRange'], patient['gender'], patient['address']]);

describe('the ODH profile: what public health needs, only under k-anonymity', () => {
  beforeAll(() => loadFhirValidators(), 60_000);

  it('releases age band, sex and district only in groups of k or more, and holds back the rest with all their records', async () => {
    const resources = population(300);
    const { out, report } = await run(resources, { k: 5 });
    const patients = out.filter((r) => r['resourceType'] === 'Patient');
    const groups = new Map<string, number>();
    for (const patient of patients) groups.set(groupOf(patient), (groups.get(groupOf(patient)) ?? 0) + 1);
    expect(Math.min(...groups.values())).toBeGreaterThanOrEqual(5);
    expect(report.kAnonymity!.kReached).toBe(Math.min(...groups.values()));
    expect(report.kAnonymity!.groups).toBe(groups.size);

    // Held back: the patients and both readings of each; every reading left points at a patient released.
    const heldBack = report.kAnonymity!.heldBack.patients;
    expect(patients.length).toBe(300 - heldBack);
    expect(report.resources.heldBack).toBe(heldBack * 3);
    const released = new Set(patients.map((p) => `Patient/${String(p['id'])}`));
    const readings = out.filter((r) => r['resourceType'] === 'Observation');
    expect(readings.length).toBe(2 * patients.length);
    for (const reading of readings) expect(released.has(String((reading['subject'] as Json)['reference']))).toBe(true);
    expect(heldBack).toBeLessThanOrEqual(15);

    // Public health's fields: the month of each reading, and the district when the groups allow it.
    expect(readings.every((r) => /^2026-11$/.test(String(r['effectiveDateTime'])))).toBe(true);
    expect(patients.every((p) => p['birthDate'] === undefined && p['name'] === undefined)).toBe(true);
    expect(report.statement).toMatch(/not HIPAA Safe Harbor/);
    expect(report.safeHarbor).toBe(false);
    expect(report.kAnonymity!.quasiIdentifiers.map((q) => q.name)).toEqual(['age-band', 'sex', 'district', 'zip3']);
  });

  it('generalises further as k grows, and says so in the report', async () => {
    const resources = population(300);
    const small = (await run(resources, { k: 2 })).report.kAnonymity!;
    const large = (await run(resources, { k: 25 })).report.kAnonymity!;
    const height = (q: typeof small) => q.quasiIdentifiers.reduce((sum, item) => sum + item.level, 0);
    expect(height(large)).toBeGreaterThan(height(small));
    expect(large.kReached).toBeGreaterThanOrEqual(25);
  });

  it('holds back nobody without k, and still releases only the fields public health asks for', async () => {
    const { out, report } = await run(population(40), {});
    expect(report.resources.heldBack).toBe(0);
    expect(report.kAnonymity!.heldBack.patients).toBe(0);
    const patient = out.find((r) => r['resourceType'] === 'Patient')!;
    expect(Object.keys(patient).sort()).toEqual(['address', 'extension', 'gender', 'id', 'resourceType']);
  });

  it('leaves none of the planted identifiers but the district it releases, and gives valid FHIR', async () => {
    const { resources, planted } = phiCase();
    const { out } = await run(resources, {});
    // Arumeru is the district released (and holds "Meru", the birthplace's district, as a substring).
    expect(findLeaks(out, planted.filter((value) => value !== 'Arumeru' && value !== 'Meru'))).toEqual([]);
    expect(JSON.stringify(out)).not.toMatch(/"Meru"/);
    const monthOnly = (problem: FhirProblem) => !(problem.validator.startsWith('profile:') && problem.message.includes('vs-1'));
    for (const resource of out) expect(fhirErrors(resource).filter(monthOnly), String(resource['resourceType'])).toEqual([]);
  });

  it('under Safe Harbor with k, groups by state rather than district, and says Safe Harbor still holds', async () => {
    const { out, report } = await run(population(200), { profile: 'safe-harbor', k: 5 });
    const patients = out.filter((r) => r['resourceType'] === 'Patient');
    expect(patients.every((p) => !JSON.stringify(p['address'] ?? []).includes('district'))).toBe(true);
    expect(report.safeHarbor).toBe(true);
    expect(report.kAnonymity!.quasiIdentifiers.find((q) => q.name === 'district')!.released).toMatch(/state|not given/);
  });
});
