import type { Observation, Resource } from '@medplum/fhirtypes';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../app/contract/client';
import { danglingReferences } from '../../app/fhir/dangling-references';
import { closeTestStores, openTestStore, spo2Draft } from './test-support';
import { createVault } from './vault';

afterEach(closeTestStores);

/** The main process's export files, in memory, with the same offsets rule (main/export/export-files.ts). */
function memoryMain() {
  const folders = new Map<string, Map<string, string>>();
  const answer = (method: string, params: Record<string, unknown>) => {
    if (method === 'export.open') {
      const exportId = `fhir-20261206-101112-${String(params.format)}-0000000${folders.size}`;
      folders.set(exportId, new Map());
      return { exportId, folder: `/exports/${exportId}` };
    }
    if (method === 'export.append') {
      const files = folders.get(String(params.exportId))!;
      const before = files.get(String(params.file)) ?? '';
      const bytes = new TextEncoder().encode(before);
      if (Number(params.offset) > bytes.length) throw new Error('gap');
      const after = new TextDecoder().decode(bytes.slice(0, Number(params.offset))) + String(params.text);
      files.set(String(params.file), after);
      return { size: new TextEncoder().encode(after).length };
    }
    throw new Error(`not served here: ${method}`);
  };
  // Each answer is checked by the test's reading of it, not by the contract's types.
  const call = ((method: string, params: Record<string, unknown>) => new Promise<unknown>((resolve) => resolve(answer(method, params)))) as ApiClient['call'];
  return { main: { call }, folders };
}


async function clinic() {
  const { db } = await openTestStore();
  const vault = await createVault(db, { iterations: 1000 });
  await vault.setupClinic({ clinicName: 'Kisiwa Health Centre', displayName: 'Asha Admin', username: 'asha', passphrase: 'tide pools at dawn' });
  if (vault.state.status !== 'unlocked') throw new Error('not unlocked');
  const userId = vault.state.session.userId;
  const amina = await vault.patients.register({ givenNames: 'Amina', familyName: 'Diallo', sex: 'female', estimatedAgeYears: 30 });
  const joseph = await vault.patients.register({ givenNames: 'Joseph', familyName: 'Mwangi', sex: 'male', birthDate: '1980-02-29' });
  await vault.observations.record([spo2Draft(amina.id, userId, 96, 'obs-1'), spo2Draft(amina.id, userId, 95, 'obs-2')]);
  await vault.observations.record([spo2Draft(joseph.id, userId, 99, 'obs-3')]);
  return { db, vault, amina, joseph };
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
    const result = await vault.fhirExport.run(main, 'ndjson', (done, total) => progress.push([done, total]));
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
  });

  it('leaves out a record that does not open, counts it, and exports the rest', async () => {
    const { vault, db, joseph } = await clinic();
    const doc = await db.records.findOne({ selector: { id: joseph.id } }).exec();
    await doc!.incrementalPatch({ sealed: `${doc!.sealed.slice(0, -8)}AAAAAAAA` });
    const { main, folders } = memoryMain();
    const result = await vault.fhirExport.run(main, 'collection');
    expect(result).toMatchObject({ patients: 1, unreadable: 1, files: ['bundle.json'] });
    expect(folders.get(result.exportId)!.get('bundle.json')).not.toContain('Mwangi');
  });

  it('stops between two pages when an admin stops it, says so, and audits what was read; one export runs at a time', async () => {
    const { vault } = await clinic();
    const { main } = memoryMain();
    let second: Promise<unknown> | undefined;
    const stopped = vault.fhirExport.run(main, 'ndjson', (done) => {
      if (done > 0) return;
      second = vault.fhirExport.run(main, 'ndjson').catch((error: unknown) => error);
      vault.fhirExport.cancel();
    });
    await expect(stopped).rejects.toMatchObject({ code: 'export_cancelled' });
    expect(await second).toMatchObject({ code: 'export_running' });
    const audit = await vault.audit.list({ kinds: ['export.fhir'] });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).toContain('"stopped"');
    // Stopped and finished, the next export runs.
    expect((await vault.fhirExport.run(main, 'collection')).patients).toBe(2);
  });

  it('is refused to a nurse, and nothing is written', async () => {
    const { vault } = await clinic();
    await vault.keyring.addStaff({ displayName: 'Neema Nurse', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
    await vault.lock();
    await vault.login('neema', 'mango season rain');
    const { main, folders } = memoryMain();
    await expect(vault.fhirExport.run(main, 'ndjson')).rejects.toMatchObject({ code: 'forbidden' });
    expect([...folders.values()].every((files) => files.size === 0)).toBe(true);
  });
});
