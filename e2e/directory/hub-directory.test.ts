import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Location } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '../../sync/hub/test-support';
import { fhirErrors, loadFhirValidators } from '../../tools/fhir/validators';
import { createTestWorkstation, type TestWorkstation } from '../sync/harness';

// The shared facility directory end to end on a real hub process: the
// operator imports the region's roads and its facilities from the Andorra
// extract (../shared/data/osm, © OpenStreetMap contributors, ODbL) and a
// healthsites.io file, confirms a capability, and another system asks the
// API for the nearest; a clinic's workstation pulls the directory and sees
// the operator's changes, and nobody's typo loses what was there.

const extract = join(import.meta.dirname, '../../../shared/data/osm/andorra.osm.pbf');
let hub: HubProcess;
let token: string;
const workstations: TestWorkstation[] = [];

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;
const api = (query: string, auth = token) => fetch(`${hub.url}api/v1/facilities${query}`, { headers: { Authorization: `Bearer ${auth}` } });

beforeAll(async () => {
  loadFhirValidators();
  hub = await startHubProcess();
  token = hub.admin('api-client', '--name', 'District referral desk').stdout;
}, 120_000);

afterAll(async () => {
  for (const ws of workstations) await ws.close().catch(() => undefined);
  await hub?.stop();
});

describe('the facility directory on the hub', { timeout: 120_000 }, () => {
  it('imports the region’s roads and its facilities, from OSM and from healthsites.io, and again without duplicates', () => {
    const region = hub.admin('region-import', '--file', extract);
    expect(region.status, region.stderr).toBe(0);
    expect(json(region.stdout)).toMatchObject({ vertices: 16504, facilitiesInExtract: 10 });

    const osm = hub.admin('directory-import', '--file', extract);
    expect(osm.status, osm.stderr).toBe(0);
    expect(json(osm.stdout)).toMatchObject({ format: 'osm', facilities: 10, applied: { created: 10, updated: 0, unchanged: 0 } });

    const csv = join(hub.dataDir, 'healthsites.csv');
    writeFileSync(
      csv,
      [
        'X,Y,osm_id,osm_type,amenity,healthcare,name,speciality,beds,contact_number,changeset_timestamp,changeset_user',
        '1.5310,42.5110,900001,node,hospital,hospital,Centre quirúrgic d’Escaldes,general_surgery;paediatrics,60,+376 800 000,2025-05-01T10:00:00Z,mapper',
        '1.6000,42.5400,900002,node,clinic,clinic,"Clínica del Pas, ""la Casa""",,,,2025-05-02T10:00:00Z,mapper',
        ',,900003,node,clinic,,No position,,,,,',
      ].join('\n'),
    );
    const healthsites = hub.admin('directory-import', '--file', csv);
    expect(healthsites.status, healthsites.stderr).toBe(0);
    expect(json(healthsites.stdout)).toMatchObject({ format: 'healthsites-csv', facilities: 2, skipped: 1, firstSkipped: ['row 3: no valid position'], applied: { created: 2 } });

    expect(json(hub.admin('directory-import', '--file', extract).stdout)).toMatchObject({ applied: { created: 0, updated: 0, unchanged: 10 } });
  });

  it('refuses a damaged or unknown file with a reason, and keeps the directory as it was', () => {
    const broken = join(hub.dataDir, 'broken.geojson');
    writeFileSync(broken, '{"type": "FeatureCollection", "features": [');
    expect(hub.admin('directory-import', '--file', broken)).toMatchObject({ status: 1, stderr: 'The file is not valid JSON (nor a .pbf extract or a .csv file).' });
    const other = join(hub.dataDir, 'other.json');
    writeFileSync(other, '{"resourceType": "Patient"}');
    expect(hub.admin('directory-import', '--file', other)).toMatchObject({ status: 1, stderr: 'The JSON file is neither a GeoJSON FeatureCollection (healthsites.io) nor a FHIR Bundle.' });
    const ragged = join(hub.dataDir, 'ragged.csv');
    writeFileSync(ragged, 'X,Y,amenity\n1.5,42.5,clinic\n1.5,42.5\n');
    const refused = hub.admin('directory-import', '--file', ragged);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^The CSV file is malformed at line 3/);
    const truncated = join(hub.dataDir, 'cut.osm.pbf');
    writeFileSync(truncated, Buffer.alloc(10, 1));
    expect(hub.admin('directory-import', '--file', truncated).status).toBe(1);
    expect(json(hub.admin('directory-import', '--file', extract).stdout)).toMatchObject({ applied: { unchanged: 10 } });
  });

  it('answers other systems with a valid FHIR searchset ranked by road, filtered by capability, and refuses what it should', async () => {
    const answer = await api('?near=42.5063,1.5218&limit=5');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/fhir+json');
    const bundle = (await answer.json()) as Bundle;
    expect(fhirErrors(bundle)).toEqual([]);
    const matches = bundle.entry!.filter((entry) => entry.search?.mode === 'match');
    expect(matches).toHaveLength(5);
    const distances = matches.map((entry) => entry.search!.extension!.find((e) => e.url.endsWith('location-distance'))!.valueDistance!.value!);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(matches.every((entry) => entry.search!.extension!.some((e) => e.valueCode === 'road'))).toBe(true);

    const surgery = (await (await api('?near=42.5063,1.5218&capability=surgery')).json()) as Bundle;
    const surgical = surgery.entry!.filter((entry) => entry.search?.mode === 'match').map((entry) => (entry.resource as Location).name);
    expect(surgical).toEqual(['Centre quirúrgic d’Escaldes']);

    const bad = await api('?near=north&limit=500');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issue: { diagnostics: string }[] }).issue.map((issue) => issue.diagnostics)).toEqual(['near must be <latitude>,<longitude> in decimal degrees', 'limit may be at most 100']);
    expect((await api('?near=42.5,1.5', 'apic-00000000000000000000000000000000.wrongwrongwrongwrongwrongwrongwrongwrongwro')).status).toBe(401);
    const reader = hub.admin('odh-reader', '--name', 'Researcher').stdout;
    expect((await api('?near=42.5,1.5', reader)).status).toBe(401);
    expect((await fetch(`${hub.url}api/v1/facilities?near=42.5,1.5`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('reaches every clinic’s workstations, read-only, with the operator’s confirmations and removals', async () => {
    const clinicId = hub.admin('create-clinic', '--name', 'Directory clinic').stdout;
    const ws = await createTestWorkstation('DirectoryA', { retryMs: 300 });
    workstations.push(ws);
    await ws.vault.hub.join(ws.api, { hubUrl: hub.url, code: hub.admin('issue-code', '--clinic', clinicId).stdout, workstationName: 'A' });
    const link = await ws.api.call('hub.status', {});
    if (!link.linked) throw new Error('not linked');
    await ws.vault.setupClinic({ clinicName: 'Directory clinic', displayName: 'Admin', username: 'admin', passphrase: 'long enough passphrase' }, { clinicId, workstationId: link.workstationId });
    await ws.startSync();
    const count = () => ws.db.facilities.count({ selector: { withdrawn: { $ne: true } } }).exec();
    for (const started = Date.now(); (await count()) < 12 && Date.now() - started < 30_000; ) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await count()).toBe(12);

    const hospital = 'fac-healthsites-node-900001';
    const set = hub.admin('directory-set', '--facility', hospital, '--capability', 'oxygen', '--available', 'no', '--by', 'Hub operator (phone call to the ward)');
    expect(set.status, set.stderr).toBe(0);
    const oxygen = async () => (await ws.db.facilities.findOne(hospital).exec())?.capabilities.oxygen;
    for (const started = Date.now(); !(await oxygen()) && Date.now() - started < 30_000; ) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await oxygen()).toMatchObject({ available: false, confirmedBy: 'Hub operator (phone call to the ward)' });
    // A later import of the same source keeps the newer confirmation.
    expect(json(hub.admin('directory-import', '--file', join(hub.dataDir, 'healthsites.csv')).stdout)).toMatchObject({ applied: { unchanged: 2 } });

    expect(hub.admin('directory-set', '--facility', 'fac-nowhere', '--capability', 'oxygen', '--available', 'yes', '--by', 'x')).toMatchObject({ status: 1, stderr: 'The directory has no facility fac-nowhere.' });
    expect(hub.admin('directory-remove', '--facility', 'fac-healthsites-node-900002').status).toBe(0);
    for (const started = Date.now(); (await count()) > 11 && Date.now() - started < 30_000; ) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await count()).toBe(11);
    // Withdrawn, not brought back by importing its source again.
    expect(json(hub.admin('directory-import', '--file', join(hub.dataDir, 'healthsites.csv')).stdout)).toMatchObject({ applied: { unchanged: 2 } });
    expect(await count()).toBe(11);
    expect((await (await api('?near=42.54,1.60&limit=100')).json()) as Bundle).toMatchObject({ total: 11 });
    expect(ws.sync?.status()).toMatchObject({ pending: 0, unacceptableFromHub: 0 });
  });

  it('gives the workstation its region’s roads, to rank the directory by road with no network', async () => {
    const ws = workstations[0]!;
    expect(await ws.api.call('region.refresh', {})).toMatchObject({ available: true, vertices: 16504, arcs: 31633 });
    const places = (await ws.db.facilities.find({ selector: { withdrawn: { $ne: true } } }).exec()).map((doc) => ({ id: doc.id, lat: doc.lat, lon: doc.lon }));
    const ranked = await ws.api.call('region.rank', { from: [42.5063, 1.5218], places, count: 3, by: 'time' });
    expect(ranked.byRoad).toHaveLength(3);
    expect(ranked.byRoad.map((r) => r.durationS)).toEqual([...ranked.byRoad.map((r) => r.durationS)].sort((x, y) => x - y));
    const route = await ws.api.call('region.route', { from: [42.5063, 1.5218], to: [places[0]!.lat, places[0]!.lon], by: 'time' });
    expect(route.found || route.reason).toBeTruthy();
    // Unchanged on the hub: not sent again.
    const before = hub.logs.length;
    expect(await ws.api.call('region.refresh', {})).toMatchObject({ available: true });
    // The hub's request log (its stderr) arrives a moment after the answer.
    const asked = () => hub.logs.slice(before).filter((line) => line.event === 'http.request' && line.kind === 'region-graph');
    for (const started = Date.now(); asked().length === 0 && Date.now() - started < 5000; ) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked().map((line) => line.status)).toEqual([304]);
  });
});
