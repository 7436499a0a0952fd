import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { syntheticClinic } from '../tools/fhir/sample/synthetic-clinic';
import { writeSample } from '../tools/fhir/sample/write-sample';
import { setUpClinic } from './clinic-steps';
import { expect, test } from './host-fixture';

/** Chooses the files on the import page and checks them; the preview follows. */
async function checkFiles(page: Page, paths: string[]) {
  await page.getByLabel('Files to import').setInputFiles(paths);
  await page.getByRole('button', { name: 'Check the files' }).click();
  return page.getByTestId('import-preview');
}

const counts = (page: Page, row: string) => page.getByTestId(`import-${row}`).getByRole('cell');

test('an admin imports another clinic’s NDJSON export: a preview first, then the patients are found by search; the same files again change nothing; a damaged file is refused with its place', async ({ page, host }, testInfo) => {
  const dir = mkdtempSync(join(tmpdir(), 'clinic-import-e2e-'));
  try {
    await writeSample({ patients: 12, seed: 5, format: 'ndjson', out: dir });
    const files = readdirSync(dir).map((name) => join(dir, name));
    const next = await syntheticClinic({ patients: 12, seed: 5 }).patients().next();
    if (next.done === true) throw new Error('the sample clinic has no patient');
    const first = next.value.patient;

    await setUpClinic(page, host.url);
    await page.getByRole('link', { name: 'FHIR import' }).click();
    const preview = await checkFiles(page, files);
    await expect(counts(page, 'patients')).toHaveText(['12', '0', '0']);
    await expect(preview).toContainText('NEWS2 score');
    await page.screenshot({ path: testInfo.outputPath('fhir-import-preview.png'), fullPage: true });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByTestId('import-done')).toContainText('Imported: 12 new patients, 0 changed');

    await page.getByRole('link', { name: 'Patients', exact: true }).click();
    await page.getByLabel('Find a patient').fill(first.clinicNumber);
    await page.getByTestId('search-results').getByRole('link').first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${first.familyName.toUpperCase()}, ${first.givenNames}`);

    // Again: everything is already here.
    await page.getByRole('link', { name: 'FHIR import' }).click();
    await checkFiles(page, files);
    await expect(counts(page, 'patients')).toHaveText(['0', '0', '12']);
    await expect(counts(page, 'readings').first()).toHaveText('0');

    // A patient line damaged by hand: nothing can be imported until it is put right, and the screen says where.
    const lines = readFileSync(join(dir, 'Patient.ndjson'), 'utf8').split('\n');
    lines[2] = lines[2]!.replace(/"birthDate":"[^"]*"/, '"birthDate":"1990-02-30"');
    writeFileSync(join(dir, 'Patient-damaged.ndjson'), lines.join('\n'));
    await checkFiles(page, [join(dir, 'Patient-damaged.ndjson')]);
    const problems = page.getByTestId('import-problems');
    await expect(problems).toContainText('1 problem must be put right');
    await expect(problems).toContainText('Patient-damaged.ndjson, line 3, Patient.birthDate: is not a real date in FHIR form');
    await expect(page.getByRole('button', { name: 'Import', exact: true })).toHaveCount(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
