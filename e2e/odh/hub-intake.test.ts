import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacKey } from '../../app/deid/deid-engine';
import { DeidRun } from '../../app/deid/deid-run';
import { findLeaks } from '../../tools/deid/phi-checker';
import { phiCase } from '../../tools/deid/phi-corpus';
import { basic, enrolled, startHubProcess, type Credentials, type HubProcess } from '../../sync/hub/test-support';

type Json = Record<string, unknown>;

let hub: HubProcess;
let a: Credentials;
let b: Credentials;
let reader: string;

/** Twelve patients of one district and age band, each with an SpO2 in November, and the corpus's two, de-identified for the ODH. */
async function contribution(): Promise<{ bundle: Json; planted: string[] }> {
  const { resources, planted } = phiCase();
  const many: Json[] = Array.from({ length: 12 }, (_, i) => [
    { resourceType: 'Patient', id: `p${i}`, name: [{ family: `Mwita${i}` }], gender: 'female', birthDate: '1990-05-05', address: [{ district: 'Karatu', state: 'Arusha', country: 'TZ' }] },
    { resourceType: 'Observation', id: `o${i}`, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '59408-5' }] }, subject: { reference: `Patient/p${i}` }, effectiveDateTime: '2026-11-03T09:00:00Z', valueQuantity: { value: 97, unit: '%', system: 'http://unitsofmeasure.org', code: '%' } },
  ]).flat();
  const run = new DeidRun({ profile: 'odh', keys: { hash: await hmacKey('clinic A odh'), dateShift: await hmacKey('clinic A shift') }, linkable: true });
  const all = [...resources, ...many];
  for (const resource of all) run.learn(resource);
  const entry: Json[] = [];
  for (const resource of all.filter((r) => ['Patient', 'Encounter', 'Observation', 'Condition'].includes(String(r['resourceType'])))) {
    const out = await run.resource(resource);
    if (out !== undefined) entry.push({ resource: out });
  }
  return { bundle: { resourceType: 'Bundle', type: 'collection', entry }, planted };
}

const post = (path: string, who: Credentials, body: unknown) => fetch(hub.url + path, { method: 'POST', headers: { Authorization: basic(who.workstationId, who.secret), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const read = (path: string, token = reader) => fetch(hub.url + path, { headers: { Authorization: `Bearer ${token}` } });
const ndjson = async (type: string) => (await (await read(`_odh/export/${type}.ndjson`)).text()).split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Json);

beforeAll(async () => {
  hub = await startHubProcess();
  a = await enrolled(hub.url, hub.admin('issue-code', '--clinic', hub.admin('create-clinic', '--name', 'Clinic A').stdout).stdout, 'A');
  b = await enrolled(hub.url, hub.admin('issue-code', '--clinic', hub.admin('create-clinic', '--name', 'Clinic B').stdout).stdout, 'B');
  reader = hub.admin('odh-reader', '--name', 'District health office').stdout;
}, 60_000);

afterAll(async () => {
  await hub?.stop();
});

describe('the Open Data Hub intake', { timeout: 30_000 }, () => {
  it('takes a de-identified bundle from a workstation and gives a receipt; researchers read it as NDJSON, with a manifest', async () => {
    const { bundle, planted } = await contribution();
    const response = await post('_odh/submissions', a, bundle);
    expect(response.status).toBe(200);
    const receipt = (await response.json()) as { receipt: string; accepted: number; patients: number };
    expect(receipt).toMatchObject({ accepted: (bundle['entry'] as Json[]).length, patients: 14 });
    expect(receipt.receipt).toMatch(/^[0-9a-f]{32}$/);

    const manifest = (await (await read('_odh/$export')).json()) as { output: { type: string; url: string; count: number }[] };
    expect(manifest.output.map((item) => item.type).sort()).toEqual(['Condition', 'Encounter', 'Observation', 'Patient']);
    const patients = await ndjson('Patient');
    expect(patients).toHaveLength(14);
    expect(manifest.output.find((item) => item.type === 'Patient')!.count).toBe(14);
    expect(findLeaks([patients, await ndjson('Observation'), await ndjson('Encounter')], planted.filter((value) => !['Arumeru', 'Meru'].includes(value)))).toEqual([]);
  });

  it('re-scans every bundle itself, and refuses one with PHI with 422 naming the rule and the path, never the value, storing none of it', async () => {
    const { bundle } = await contribution();
    const leaky = structuredClone(bundle);
    const entries = leaky['entry'] as { resource: Json }[];
    entries[0]!.resource['name'] = [{ family: 'Kalolwe' }];
    const before = (await ndjson('Patient')).length;
    const response = await post('_odh/submissions', a, leaky);
    expect(response.status).toBe(422);
    const refusal = (await response.json()) as { error: string; reason: string };
    expect(refusal.error).toBe('phi_found');
    expect(refusal.reason).toMatch(/rule names\) at Bundle\.entry\[0\]\.resource\.name\[0\]/);
    expect(refusal.reason).not.toMatch(/Kalolwe/);
    expect(hub.logs.map((line) => JSON.stringify(line)).join('\n')).not.toMatch(/Kalolwe/);
    expect((await ndjson('Patient')).length).toBe(before);

    const noted = structuredClone(bundle);
    const withNote = (noted['entry'] as { resource: Json }[]).find((entry) => entry.resource['note'] !== undefined)!;
    (withNote.resource['note'] as Json[])[0]!['text'] = 'call her on 0754 987 321';
    expect(((await (await post('_odh/submissions', a, noted)).json()) as { reason: string }).reason).toMatch(/rule free-text-phone-or-number/);
  });

  it('keeps its data apart: workstations cannot read it, readers cannot write, and no token no data', async () => {
    expect((await fetch(`${hub.url}_odh/$export`, { headers: { Authorization: basic(a.workstationId, a.secret) } })).status).toBe(401);
    expect((await read('_odh/$export', 'odhr-00000000000000000000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(401);
    expect((await fetch(`${hub.url}_odh/submissions`, { method: 'POST', headers: { Authorization: `Bearer ${reader}`, 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(401);
    expect(readdirSync(join(hub.dataDir, 'databases')).some((name) => name.includes('odh'))).toBe(false);
  });

  it('counts readings by month, district, age band, sex and code, leaving out cells smaller than k', async () => {
    const table = (await (await read('_odh/counts?by=month,district,age-band,sex,code&k=5')).json()) as { cells: { count: number; district: string }[]; suppressed: number; k: number };
    expect(table.k).toBe(5);
    expect(table.cells).toEqual([{ month: '2026-11', district: 'Arusha/Karatu', 'age-band': '35-39', sex: 'female', code: 'http://loinc.org|59408-5', count: 12 }]);
    expect(table.suppressed).toBeGreaterThan(0);
    expect((await read('_odh/counts?k=2')).status).toBe(400);
    expect((await read('_odh/counts?by=name')).status).toBe(400);
  });

  it('removes a patient’s data on a withdrawal notice, and does not take it again from a late contribution', async () => {
    const { bundle } = await contribution();
    const patient = (bundle['entry'] as { resource: Json }[]).find((entry) => entry.resource['resourceType'] === 'Patient')!.resource;
    const notice = { patient: `Patient/${String(patient['id'])}` };
    // Another clinic cannot withdraw clinic A's patient.
    expect(((await (await post('_odh/withdrawals', b, notice)).json()) as { removed: boolean }).removed).toBe(false);
    expect((await ndjson('Patient')).some((p) => p['id'] === patient['id'])).toBe(true);
    const answer = (await (await post('_odh/withdrawals', a, notice)).json()) as { removed: boolean };
    expect(answer.removed).toBe(true);
    expect((await ndjson('Patient')).some((p) => p['id'] === patient['id'])).toBe(false);
    expect((await ndjson('Observation')).some((o) => (o['subject'] as Json)['reference'] === notice.patient)).toBe(false);
    const late = (await (await post('_odh/submissions', a, bundle)).json()) as { withdrawn: number };
    expect(late.withdrawn).toBeGreaterThan(0);
    expect((await ndjson('Patient')).some((p) => p['id'] === patient['id'])).toBe(false);
    expect((await post('_odh/withdrawals', a, { patient: 'Patient/Amélie' })).status).toBe(400);
  });
});
