import { afterEach, describe, expect, it } from 'vitest';
import { AccessDeniedError } from '../../app/auth/roles';
import type { TransferResult } from '../../app/contract/data-api';
import type { Vault } from './vault';
import { adminInput, adminVault, closeTestStores, memoryMain, spo2Draft } from './test-support';

afterEach(closeTestStores);

function inFolder(result: TransferResult): Extract<TransferResult, { destination: 'folder' }> {
  if (result.destination !== 'folder') throw new Error('the export went elsewhere');
  return result;
}

/** A clinic with two patients (one with only an estimated age), three readings in two visits, and its NDJSON export. */
async function exportedClinic() {
  const { vault, userId } = await adminVault();
  const amina = await vault.patients.register({ givenNames: 'Amina', familyName: 'Diallo', sex: 'female', estimatedAgeYears: 30, village: 'Kisiwa', nationalId: '123456/78/1' });
  const joseph = await vault.patients.register({ givenNames: 'Joseph', familyName: 'Mwangi', sex: 'male', birthDate: '1980-02-29', phone: '+255712345678' });
  await vault.observations.record([spo2Draft(amina.id, userId, 96, 'obs-1'), spo2Draft(amina.id, userId, 95, 'obs-2')]);
  await vault.observations.record([spo2Draft(joseph.id, userId, 99, 'obs-3')]);
  await vault.consents.record(amina.id, { status: 'active', date: '2026-01-05' });
  const { main, folders } = memoryMain();
  const result = inFolder(await vault.fhirExport.run(main, { format: 'ndjson', scope: { kind: 'all' } }));
  const files = folders.get(result.exportId)!;
  return { vault, amina, joseph, files };
}

/** The files handed over in pieces, as the import page reads them. */
function give(vault: Vault, files: Map<string, string>, piece = 500): void {
  const list = [...files];
  vault.fhirImport.open(list.map(([name, text]) => ({ name, size: text.length })));
  list.forEach(([, text], file) => {
    for (let at = 0; at < text.length; at += piece) vault.fhirImport.append(file, text.slice(at, at + piece), at + piece >= text.length);
    if (text.length === 0) vault.fhirImport.append(file, '', true);
  });
}

async function records(vault: Vault, ids: readonly string[]) {
  return Promise.all(
    ids.map(async (id) => {
      const patient = await vault.patients.get(id);
      return { patient: { ...patient, updatedAt: undefined }, readings: (await vault.observations.forPatient(id)).observations, consents: (await vault.consents.forPatient(id)).consents };
    }),
  );
}

describe('an admin’s FHIR import', () => {
  it('brings an export into an empty workstation as the same patients and readings, after a preview that counts them', async () => {
    const source = await exportedClinic();
    const { vault: empty } = await adminVault();
    give(empty, source.files);
    const preview = await empty.fhirImport.preview();
    expect(preview).toMatchObject({ patients: { created: 2, updated: 0, unchanged: 0 }, readings: { created: 3, unchanged: 0 }, visits: { created: 2, unchanged: 0 }, consents: { created: 1, unchanged: 0 }, problemCount: 0 });
    expect(preview.skipped.types).toMatchObject({ Organization: 1, Practitioner: 1, Provenance: 2 });
    const progress: number[] = [];
    const result = await empty.fhirImport.commit((done) => progress.push(done));
    expect(result).toEqual({ patients: { created: 2, updated: 0 }, readings: 3, visits: 2, consents: 1 });
    expect(progress.at(-1)).toBe(8);
    expect(await records(empty, [source.amina.id, source.joseph.id])).toEqual(await records(source.vault, [source.amina.id, source.joseph.id]));
    // Search finds them at once, and the import is audited with its counts.
    expect(empty.patients.search('Mwangi').map((hit) => hit.id)).toEqual([source.joseph.id]);
    const [entry] = await empty.audit.list({ kinds: ['import.fhir'] });
    expect(JSON.stringify(entry)).toContain('"created"');
  });

  it('changes nothing when the same files are imported again', async () => {
    const source = await exportedClinic();
    const { vault } = await adminVault();
    give(vault, source.files);
    await vault.fhirImport.preview();
    await vault.fhirImport.commit();
    const before = await records(vault, [source.amina.id, source.joseph.id]);
    give(vault, source.files, 37);
    expect(await vault.fhirImport.preview()).toMatchObject({ patients: { created: 0, updated: 0, unchanged: 2 }, readings: { created: 0, unchanged: 3 }, visits: { created: 0, unchanged: 2 }, consents: { created: 0, unchanged: 1 } });
    expect(await vault.fhirImport.commit()).toEqual({ patients: { created: 0, updated: 0 }, readings: 0, visits: 0, consents: 0 });
    expect(await records(vault, [source.amina.id, source.joseph.id])).toEqual(before);
  });

  it('updates the patient it matches (by store id, clinic number or national ID) and erases nothing the file does not know', async () => {
    const { vault } = await adminVault();
    const amina = await vault.patients.register({ givenNames: 'Amina', familyName: 'Diallo', sex: 'female', birthDate: '1994-05-01', nationalId: '123456/78/1', village: 'Kisiwa' });
    const fromOtherSystem = {
      resourceType: 'Patient',
      id: 'x1',
      identifier: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI' }] }, value: '123456781' }],
      name: [{ family: 'Diallo-Sow', given: ['Amina'] }],
      gender: 'female',
      birthDate: '1994',
      telecom: [{ system: 'phone', value: '+255 713 000 111' }],
    };
    give(vault, new Map([['other.json', JSON.stringify(fromOtherSystem)]]));
    expect(await vault.fhirImport.preview()).toMatchObject({ patients: { created: 0, updated: 1, unchanged: 0 }, problemCount: 0 });
    await vault.fhirImport.commit();
    const after = await vault.patients.get(amina.id);
    expect(after).toMatchObject({ familyName: 'Diallo-Sow', birthDate: '1994-05-01', village: 'Kisiwa', phone: '+255713000111', clinicNumber: amina.clinicNumber });
    expect(after.estimatedAgeYears).toBeUndefined();
  });

  it('writes nothing while a problem remains, and lists each with its place', async () => {
    const source = await exportedClinic();
    const { vault } = await adminVault();
    const files = new Map(source.files);
    // Joseph's line (patients go in the order of their random ids, so it may be either).
    const patients = files.get('Patient.ndjson')!.split('\n');
    const josephAt = patients.findIndex((line) => line.includes('"gender":"male"'));
    patients[josephAt] = patients[josephAt]!.replace('"gender":"male"', '"gender":"man"');
    files.set('Patient.ndjson', patients.join('\n'));
    give(vault, files);
    const preview = await vault.fhirImport.preview();
    expect(preview.problemCount).toBeGreaterThanOrEqual(1);
    expect(preview.problems[0]).toMatchObject({ file: 'Patient.ndjson', line: josephAt + 1, path: 'Patient.gender', key: 'import.problem.notGender' });
    await expect(vault.fhirImport.commit()).rejects.toMatchObject({ code: 'import_not_ready' });
    expect(vault.patients.search('Diallo')).toEqual([]);
  });

  it('is carried on after a lock stopped it: the journal says so, and the same files write only what is missing', async () => {
    const source = await exportedClinic();
    const { vault } = await adminVault();
    give(vault, source.files);
    await vault.fhirImport.preview();
    await expect(
      vault.fhirImport.commit((done) => {
        if (done === 1) void vault.lock();
      }),
    ).rejects.toMatchObject({ code: 'locked' });
    await vault.login(adminInput.username, adminInput.passphrase);
    expect(await vault.fhirImport.interrupted()).toMatchObject({ files: [...source.files].map(([name, text]) => ({ name, size: text.length })), total: 8 });
    give(vault, source.files);
    const preview = await vault.fhirImport.preview();
    expect(preview.patients.created + preview.patients.unchanged).toBe(2);
    expect(preview.patients.unchanged).toBeGreaterThanOrEqual(1);
    await vault.fhirImport.commit();
    expect(await vault.fhirImport.interrupted()).toBeUndefined();
    expect(await records(vault, [source.amina.id, source.joseph.id])).toEqual(await records(source.vault, [source.amina.id, source.joseph.id]));
  });

  it('is an administrator’s: a nurse is refused', async () => {
    const { vault } = await adminVault();
    await vault.keyring.addStaff({ displayName: 'Nuru Nurse', username: 'nuru', passphrase: 'river stones in june', role: 'nurse' });
    await vault.lock();
    await vault.login('nuru', 'river stones in june');
    expect(() => vault.fhirImport.open([{ name: 'a.ndjson', size: 1 }])).toThrow(AccessDeniedError);
  });
});
