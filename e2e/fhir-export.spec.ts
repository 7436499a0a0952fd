import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation, Patient, Resource } from '@medplum/fhirtypes';
import { strFromU8, unzipSync } from 'fflate';
import { fhirErrors, loadFhirValidators } from '../tools/fhir/validators';
import { danglingReferences } from '../app/fhir/dangling-references';
import { addStaff, admin, registerAndCapture, setUpClinic, storeVitals, switchUser } from './clinic-steps';
import { expect, test } from './host-fixture';

test('an admin exports the clinic as FHIR NDJSON: warned first, shown the progress and the files, every resource valid; the export is audited; a nurse has no export', async ({ page, host }, testInfo) => {
  await setUpClinic(page, host.url);
  await registerAndCapture(page);
  await storeVitals(page, { temperature: '38.4', systolic: '128', diastolic: '84' });

  await page.getByRole('link', { name: 'FHIR export' }).click();
  await expect(page.getByRole('note')).toContainText('The exported files hold patient data');
  await page.getByRole('radio', { name: /Bulk Data NDJSON/ }).check();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const done = page.getByTestId('export-done');
  await expect(done).toContainText('Exported 1 patient (');
  await expect(done.getByRole('listitem')).toContainText(['Organization.ndjson', 'Patient.ndjson', 'Encounter.ndjson', 'Observation.ndjson', 'manifest.json']);
  await page.screenshot({ path: testInfo.outputPath('fhir-export.png'), fullPage: true });

  // The files, as the main process wrote them in its export folder.
  const exportsDir = join(host.dataDir, 'exports');
  const [folder] = readdirSync(exportsDir);
  expect(folder).toMatch(/^fhir-\d{8}-\d{6}-ndjson-[0-9a-f]{8}$/);
  const read = (file: string) => readFileSync(join(exportsDir, folder!, file), 'utf8');
  const resources = readdirSync(join(exportsDir, folder!))
    .filter((file) => file.endsWith('.ndjson'))
    .flatMap((file) => read(file).trim().split('\n').map((line) => JSON.parse(line) as Resource));
  const patients = resources.filter((resource): resource is Patient => resource.resourceType === 'Patient');
  expect(patients.map((patient) => patient.name?.[0]?.family)).toEqual(['Juma']);
  const observations = resources.filter((resource): resource is Observation => resource.resourceType === 'Observation');
  // The temperature, and the blood pressure as one panel, both in the visit they were stored in.
  expect(observations.map((observation) => observation.code.coding?.[0]?.code).sort()).toEqual(['8310-5', '85354-9']);
  expect(new Set(observations.map((observation) => observation.encounter?.reference)).size).toBe(1);
  loadFhirValidators();
  expect(resources.flatMap((resource) => fhirErrors(resource).map((problem) => `${resource.resourceType}: ${JSON.stringify(problem)}`))).toEqual([]);
  expect(danglingReferences(resources)).toEqual([]);
  expect(JSON.parse(read('manifest.json'))).toMatchObject({ output: expect.arrayContaining([{ type: 'Patient', url: 'Patient.ndjson', count: 1 }]) });

  // In browser mode the folder is on the service's machine: the browser gets it as one zip, the same files.
  const downloading = page.waitForEvent('download');
  await done.getByRole('button', { name: 'Download as one zip file' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${folder}.zip`);
  const zipped = unzipSync(new Uint8Array(readFileSync(await download.path())));
  expect(Object.keys(zipped).sort()).toEqual(readdirSync(join(exportsDir, folder!)).sort());
  expect(strFromU8(zipped['Patient.ndjson']!)).toBe(read('Patient.ndjson'));

  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByLabel('What').selectOption('export.fhir');
  await expect(page.getByTestId('audit-entries').getByRole('row')).toHaveCount(2);
  await expect(page.getByTestId('audit-entries')).toContainText(admin.name);

  await addStaff(page, { name: 'Neema Njeri', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
  await switchUser(page, 'neema', 'mango season rain');
  await expect(page.getByRole('link', { name: 'FHIR export' })).toHaveCount(0);
});

test('an admin exports chosen patients, then everything changed since the last export; the screen says where that starts', async ({ page, host }) => {
  await setUpClinic(page, host.url);
  await registerAndCapture(page);
  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  await registerAndCapture(page, { given: 'Baraka', family: 'Otieno', sex: 'Male', birthDate: '1990-07-14' });
  const exportsDir = join(host.dataDir, 'exports');
  const patientsIn = (folder: string) =>
    readFileSync(join(exportsDir, folder, 'Patient.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as Patient).name?.[0]?.family)
      .sort();
  // The folder the screen names (two exports may start within one second: their names sort by chance).
  const folderShown = async () => /fhir-\d{8}-\d{6}-ndjson-[0-9a-f]{8}/.exec((await page.getByTestId('export-done').textContent()) ?? '')?.[0] ?? 'none shown';

  await page.getByRole('link', { name: 'FHIR export' }).click();
  await page.getByRole('radio', { name: /Chosen patients/ }).check();
  const exportButton = page.getByRole('button', { name: 'Export', exact: true });
  await expect(exportButton).toBeDisabled();
  await expect(page.getByText('Choose at least one patient to export.')).toBeVisible();
  await page.getByLabel('Find a patient to add').fill('otieno');
  await page.getByTestId('export-picker-results').getByRole('button', { name: 'Add' }).click();
  await expect(page.getByTestId('export-chosen')).toContainText('OTIENO, Baraka');
  await expect(page.getByText('1 patient chosen')).toBeVisible();
  await exportButton.click();
  await expect(page.getByTestId('export-done')).toContainText('Exported 1 patient (');
  expect(patientsIn(await folderShown())).toEqual(['Otieno']);

  const changed = page.getByRole('radio', { name: /changed since the last export/ });
  await expect(page.getByText(/there has been none on this workstation/)).toBeVisible();
  await changed.check();
  await exportButton.click();
  await expect(page.getByTestId('export-done')).toContainText('Exported 2 patients (');
  expect(patientsIn(await folderShown())).toEqual(['Juma', 'Otieno']);
  // The next one starts where this one did.
  await expect(page.getByText(/Everything new or changed since the last export \(started /)).toBeVisible();
});
