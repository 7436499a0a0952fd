import type { Observation, Resource, ServiceRequest } from '@medplum/fhirtypes';
import { directoryEntrySchema, entryFromOsm } from '../../app/facilities/directory-entry';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TransferResult } from '../../app/contract/data-api';
import type { ExportFormat } from '../../app/fhir/export/export-sink';
import type { ExportScope } from '../../app/fhir/export/export-scope';
import { danglingReferences } from '../../app/fhir/dangling-references';
import { generateClinicNumber } from '../../app/patients/clinic-number';
import { sealRecord } from '../../app/records/sealed-record';
import { adminVault, closeTestStores, memoryMain, spo2Draft } from './test-support';

afterEach(async () => {
  vi.useRealTimers();
  await closeTestStores();
});

const everything = (format: ExportFormat) => ({ format, scope: { kind: 'all' } as const });

/** An export's result, which went to a folder. */
function inFolder(result: TransferResult): Extract<TransferResult, { destination: 'folder' }> {
  if (result.destination !== 'folder') throw new Error('the export went elsewhere');
  return result;
}

async function clinic() {
  const { db, vault, userId } = await adminVault();
  const amina = await vault.patients.register({ givenNames: 'Amina', familyName: 'Diallo', sex: 'female', estimatedAgeYears: 30 });
  const joseph = await vault.patients.register({ givenNames: 'Joseph', familyName: 'Mwangi', sex: 'male', birthDate: '1980-02-29' });
  await vault.observations.record([spo2Draft(amina.id, userId, 96, 'obs-1'), spo2Draft(amina.id, userId, 95, 'obs-2')]);
  await vault.observations.record([spo2Draft(joseph.id, userId, 99, 'obs-3')]);
  return { db, vault, amina, joseph, userId };
}

const resourcesIn = (files: Map<string, string>): Resource[] =>
  [...files]
    .filter(([name]) => name.endsWith('.ndjson'))
    .flatMap(([, text]) => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Resource));

describe('an admin’s FHIR export', () => {
  it('writes the whole clinic, each reading pointing at its visit and every reference inside the export, and audits it with its counts', async () => {
    const { vault } = await clinic();
    const { main, folders } = memoryMain();
    const progress: [number, number][] = [];
    const result = inFolder(await vault.fhirExport.run(main, everything('ndjson'), (done, total) => progress.push([done, total])));
    expect(result).toMatchObject({ patients: 2, unreadable: 0, folder: `/exports/${result.exportId}` });
    expect(progress.at(-1)).toEqual([2, 2]);
    const files = folders.get(result.exportId)!;
    expect([...files.keys()].sort()).toEqual([...result.files].sort());
    const resources = resourcesIn(files);
    expect(resources).toHaveLength(result.resources);
    const count = (type: string) => resources.filter((resource) => resource.resourceType === type).length;
    expect([count('Organization'), count('Practitioner'), count('Patient'), count('Encounter'), count('Observation'), count('Provenance')]).toEqual([1, 1, 2, 2, 3, 2]);
    // The oximeter (it reports no serial: one Device) and the workstations the clinic knows by name.
    expect(count('Device')).toBeGreaterThanOrEqual(1);
    const observations = resources.filter((resource): resource is Observation => resource.resourceType === 'Observation');
    expect(new Set(observations.map((observation) => observation.encounter?.reference)).size).toBe(2);
    // Each resource is checked against the validators where the files are read back (e2e/fhir-export.spec.ts).
    // Every reference resolves inside the export (a Provenance's workstation too): servers that check them accept it.
    expect(danglingReferences(resources)).toEqual([]);
    const audit = await vault.audit.list({ kinds: ['export.fhir'] });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).toContain('"patients"');
    // Where it went and what it took, for whoever reads the audit.
    expect(JSON.stringify(audit[0])).toContain('"destination"');
    expect(JSON.stringify(audit[0])).toContain('"folder"');
  });

  it('writes each referral as a ServiceRequest with its status now, pointing at the readings it carried, its destination written once', async () => {
    const { vault, db, amina, joseph, userId } = await clinic();
    const confirmedAt = '2026-11-01T08:00:00.000Z';
    await db.facilities.insert(
      directoryEntrySchema.parse({ ...entryFromOsm({ id: 'node/42', kind: 'hospital', name: 'District Hospital', lat: -13.9, lon: 33.7, capabilities: ['surgery'], confirmedAt, confirmedBy: 'OpenStreetMap user m' }, confirmedAt), hlc: '001790000000000-00000-hub' }),
    );
    const now = new Date().toISOString();
    await vault.observations.record([{ ...spo2Draft(amina.id, userId, 90, 'obs-now'), effectiveAt: now, recordedAt: now }]);
    const request = { facilityId: 'fac-osm-node-42', capability: 'surgery', reason: 'Suspected appendicitis', urgency: 'urgent', transport: 'clinic-vehicle' };
    const first = await vault.referrals.make(amina.id, request);
    await vault.referrals.recordStatus(first.id, { status: 'accepted' });
    const second = await vault.referrals.make(joseph.id, { ...request, urgency: 'routine' });
    await vault.referrals.recordStatus(second.id, { status: 'cancelled', note: 'Family took him elsewhere' });
    const { main, folders } = memoryMain();
    const result = inFolder(await vault.fhirExport.run(main, everything('ndjson')));
    const resources = resourcesIn(folders.get(result.exportId)!);
    const requests = resources.filter((resource): resource is ServiceRequest => resource.resourceType === 'ServiceRequest');
    expect(requests.map((request) => [request.id, request.status, request.priority, request.locationReference?.[0]?.reference]).sort()).toEqual(
      [
        [first.id, 'active', 'urgent', 'Location/fac-osm-node-42'],
        [second.id, 'revoked', 'routine', 'Location/fac-osm-node-42'],
      ].sort(),
    );
    expect(requests.find((request) => request.id === first.id)?.supportingInfo).toEqual([{ reference: 'Observation/obs-now' }]);
    expect(resources.filter((resource) => resource.resourceType === 'Location' && resource.id === 'fac-osm-node-42')).toHaveLength(1);
    expect(danglingReferences(resources)).toEqual([]);
  });

  it('writes each research-use decision as a Consent of its patient, history and all', async () => {
    const { vault, amina } = await clinic();
    await vault.consents.record(amina.id, { status: 'active', date: '2026-01-05' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await vault.consents.record(amina.id, { status: 'withdrawn', date: '2026-02-01' });
    const { main, folders } = memoryMain();
    const result = inFolder(await vault.fhirExport.run(main, everything('ndjson')));
    const resources = resourcesIn(folders.get(result.exportId)!);
    const consents = resources.filter((resource) => resource.resourceType === 'Consent');
    expect(consents.map((consent) => (consent as { status: string }).status).sort()).toEqual(['active', 'inactive']);
    const patient = resources.find((resource) => resource.resourceType === 'Patient' && JSON.stringify(resource).includes(amina.id))!;
    for (const consent of consents) expect((consent as { patient: { reference: string } }).patient.reference).toBe(`Patient/${patient.id ?? ''}`);
    expect(danglingReferences(resources)).toEqual([]);
  });

  it('leaves out a record that does not open, counts it, and exports the rest', async () => {
    const { vault, db, joseph } = await clinic();
    const doc = await db.records.findOne({ selector: { id: joseph.id } }).exec();
    await doc!.incrementalPatch({ sealed: `${doc!.sealed.slice(0, -8)}AAAAAAAA` });
    const { main, folders } = memoryMain();
    const result = inFolder(await vault.fhirExport.run(main, everything('collection')));
    expect(result).toMatchObject({ patients: 1, unreadable: 1, files: ['bundle.json'] });
    expect(folders.get(result.exportId)!.get('bundle.json')).not.toContain('Mwangi');
  });

  it('stops between two pages when an admin stops it, says so, and audits what was read; one export runs at a time', async () => {
    const { vault } = await clinic();
    const { main } = memoryMain();
    let second: Promise<unknown> | undefined;
    const stopped = vault.fhirExport.run(main, everything('ndjson'), (done) => {
      if (done > 0) return;
      second = vault.fhirExport.run(main, everything('ndjson')).catch((error: unknown) => error);
      vault.fhirExport.cancel();
    });
    await expect(stopped).rejects.toMatchObject({ code: 'export_cancelled' });
    expect(await second).toMatchObject({ code: 'export_running' });
    const audit = await vault.audit.list({ kinds: ['export.fhir'] });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).toContain('"stopped"');
    // Stopped and finished, the next export runs.
    expect((await vault.fhirExport.run(main, everything('collection'))).patients).toBe(2);
  });

  it('is refused to a nurse, and nothing is written', async () => {
    const { vault } = await clinic();
    await vault.keyring.addStaff({ displayName: 'Neema Nurse', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
    await vault.lock();
    await vault.login('neema', 'mango season rain');
    const { main, folders } = memoryMain();
    await expect(vault.fhirExport.run(main, everything('ndjson'))).rejects.toMatchObject({ code: 'forbidden' });
    expect([...folders.values()].every((files) => files.size === 0)).toBe(true);
  });
});

/** The patients' names and the readings' values an export holds. */
function contents(files: Map<string, string>) {
  const resources = resourcesIn(files);
  const patients = resources.flatMap((resource) => (resource.resourceType === 'Patient' ? [resource.name?.[0]?.given?.[0] ?? ''] : [])).sort();
  const readings = resources.flatMap((resource) => (resource.resourceType === 'Observation' && resource.valueQuantity ? [resource.valueQuantity.value] : [])).sort();
  return { patients, readings, encounters: resources.filter((resource) => resource.resourceType === 'Encounter').length, resources };
}

describe('an export’s scope', () => {
  const run = async (vault: Awaited<ReturnType<typeof clinic>>['vault'], scope: ExportScope) => {
    const { main, folders } = memoryMain();
    const result = inFolder(await vault.fhirExport.run(main, { format: 'ndjson', scope }));
    return { result, ...contents(folders.get(result.exportId)!) };
  };

  it('takes only the patients an admin chose, with their visits, and the clinic’s shared resources', async () => {
    const { vault, joseph } = await clinic();
    const { result, patients, readings, resources } = await run(vault, { kind: 'patients', patientIds: [joseph.id] });
    expect(patients).toEqual(['Joseph']);
    expect(readings).toEqual([99]);
    expect(result.patients).toBe(1);
    expect(resources.some((resource) => resource.resourceType === 'Organization')).toBe(true);
    expect(danglingReferences(resources)).toEqual([]);
  });

  it('takes the visits that began in a date range, whole, and only the patients who had one', async () => {
    const { vault, amina, joseph } = await clinic();
    const userId = vault.state.status === 'unlocked' ? vault.state.session.userId : '';
    const at = (draft: ReturnType<typeof spo2Draft>, day: string) => ({ ...draft, effectiveAt: `${day}T08:00:00Z`, recordedAt: `${day}T08:00:05Z` });
    await vault.observations.record([at(spo2Draft(amina.id, userId, 91, 'obs-4'), '2026-12-01')]);
    await vault.observations.record([at(spo2Draft(joseph.id, userId, 92, 'obs-5'), '2026-12-03')]);
    const december = await run(vault, { kind: 'dates', from: '2026-12-01T00:00:00Z', to: '2026-12-02T23:59:59.999Z' });
    expect(december.patients).toEqual(['Amina']);
    expect(december.readings).toEqual([91]);
    expect(december.encounters).toBe(1);
    expect(danglingReferences(december.resources)).toEqual([]);
    // The readings of 21 November were one visit each for Amina (two readings) and Joseph (one).
    const november = await run(vault, { kind: 'dates', from: '2026-11-21T00:00:00Z', to: '2026-11-21T23:59:59.999Z' });
    expect(november.patients).toEqual(['Amina', 'Joseph']);
    expect(november.readings).toEqual([95, 96, 99]);
    const none = await run(vault, { kind: 'dates', from: '2025-01-01T00:00:00Z', to: '2025-01-31T23:59:59.999Z' });
    expect(none.patients).toEqual([]);
    expect(none.result.patients).toBe(0);
  });

  it('takes, since the last whole or changed-since export, every patient with a new or changed record, whether typed here or arrived by sync', async () => {
    // Later than any real time this process has seen: RxDB never lets a write time go back.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-03-06T08:00:00Z'));
    const { db, vault, amina, joseph } = await clinic();
    vi.setSystemTime(new Date('2031-03-06T09:00:00Z'));
    expect(await vault.fhirExport.changedSince('folder')).toBeUndefined();
    // Before any export, "changed since the last" is everything.
    expect((await run(vault, { kind: 'changed' })).patients).toEqual(['Amina', 'Joseph']);
    expect(await vault.fhirExport.changedSince('folder')).toBe('2031-03-06T09:00:00.000Z');
    vi.setSystemTime(new Date('2031-03-06T10:00:00Z'));
    const userId = vault.state.status === 'unlocked' ? vault.state.session.userId : '';
    await vault.observations.record([spo2Draft(joseph.id, userId, 93, 'obs-6')]);
    // Records written in the seconds before an export began are taken again by the next (a write in flight is never missed).
    vi.setSystemTime(new Date('2031-03-06T10:30:00Z'));
    const afterReading = await run(vault, { kind: 'changed' });
    // Joseph in full (both visits), nobody else.
    expect(afterReading.patients).toEqual(['Joseph']);
    expect(afterReading.readings).toEqual([93, 99]);
    vi.setSystemTime(new Date('2031-03-06T11:00:00Z'));
    // A chosen patients' export does not move the mark: Amina's edit waits for the next changed-since export.
    await vault.patients.update(amina.id, { givenNames: 'Amina', familyName: 'Diallo-Sow', sex: 'female', estimatedAgeYears: 30 });
    await run(vault, { kind: 'patients', patientIds: [joseph.id] });
    expect(await vault.fhirExport.changedSince('folder')).toBe('2031-03-06T10:30:00.000Z');
    vi.setSystemTime(new Date('2031-03-06T11:30:00Z'));
    expect((await run(vault, { kind: 'changed' })).patients).toEqual(['Amina']);
    vi.setSystemTime(new Date('2031-03-06T12:00:00Z'));
    expect((await run(vault, { kind: 'changed' })).patients).toEqual([]);
    // A patient another workstation registered at 08:00 arrives by sync at 12:30: its own time is before the mark, its arrival after.
    vi.setSystemTime(new Date('2031-03-06T12:30:00Z'));
    if (vault.state.status !== 'unlocked') throw new Error('not unlocked');
    const { session } = vault.state;
    const zawadi = { ...joseph, id: 'pat-arrived-by-sync', givenNames: 'Zawadi', clinicNumber: generateClinicNumber((n) => crypto.getRandomValues(new Uint8Array(n))) };
    const header = { id: zawadi.id, type: 'patient' as const, clinicId: session.clinicId, subject: zawadi.id, updatedAt: Date.parse('2031-03-06T08:00:00Z'), hlc: '001796025600000-00000-other', deleted: false };
    await db.records.insert(await sealRecord(session.dataKey, header, zawadi));
    vi.setSystemTime(new Date('2031-03-06T13:00:00Z'));
    expect((await run(vault, { kind: 'changed' })).patients).toEqual(['Zawadi']);
    // Pushes to a FHIR server keep their own mark: none has run.
    expect(await vault.fhirExport.changedSince('server')).toBeUndefined();
  });
});

describe('an export a restart interrupted', () => {
  it('is carried on from its last checkpoint into the same folder: every resource once, the same as an export never interrupted', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { vault } = await clinic();
    const userId = vault.state.status === 'unlocked' ? vault.state.session.userId : '';
    const more = [];
    for (let i = 0; i < 250; i++) more.push(await vault.patients.register({ givenNames: `Baraka${i}`, familyName: 'Otieno', sex: 'male', estimatedAgeYears: 20 + (i % 50) }));
    await vault.observations.record(more.map((patient, i) => spo2Draft(patient.id, userId, 90 + (i % 10), `obs-b${i}`)));
    const { main, folders, control } = memoryMain();
    control.onCall = () => vi.setSystemTime(Date.now() + 10_000);
    // The first page's checkpoint sends nine files (the clinic's, and the patients' four kinds); the
    // second's four (Patient, Encounter, Observation, Provenance): it stops after two of them.
    control.appendsLeft = 11;
    await expect(vault.fhirExport.run(main, everything('ndjson'))).rejects.toThrow(/service stopped/);
    const interrupted = await vault.fhirExport.interrupted();
    expect(interrupted).toMatchObject({ destination: 'folder', format: 'ndjson', scope: 'all', read: 100 });

    control.appendsLeft = Number.POSITIVE_INFINITY;
    const progress: number[] = [];
    const resumed = inFolder(await vault.fhirExport.resume(main, (done) => progress.push(done)));
    expect(progress[0]).toBe(100);
    expect(resumed.patients).toBe(252);
    expect(await vault.fhirExport.interrupted()).toBeUndefined();
    const whole = inFolder(await vault.fhirExport.run(main, everything('ndjson')));
    const key = (resource: Resource) => `${resource.resourceType}/${resource.id}`;
    const carriedOn = resourcesIn(folders.get(resumed.exportId)!);
    expect(new Set(carriedOn.map(key)).size).toBe(carriedOn.length);
    expect(carriedOn.map((resource) => JSON.stringify(resource)).sort()).toEqual(resourcesIn(folders.get(whole.exportId)!).map((resource) => JSON.stringify(resource)).sort());
    expect(resumed.resources).toBe(whole.resources);
    expect(danglingReferences(carriedOn)).toEqual([]);
  });

  it('can be forgotten; nothing to carry on is said plainly', async () => {
    const { vault } = await clinic();
    const { main, control } = memoryMain();
    control.appendsLeft = 0;
    await expect(vault.fhirExport.run(main, everything('collection'))).rejects.toThrow();
    expect(await vault.fhirExport.interrupted()).toMatchObject({ format: 'collection', read: 0 });
    await vault.fhirExport.discard();
    expect(await vault.fhirExport.interrupted()).toBeUndefined();
    await expect(vault.fhirExport.resume(main)).rejects.toMatchObject({ code: 'not_found' });
  });
});
