import { chromium, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumArgs } from '../playwright.config';
import { admin, clinicName, setUpClinic } from './clinic-steps';
import { expect, startHost, stopHost, test } from './host-fixture';
import { scanForText } from './profile-scan';

const patients = [
  { given: 'Amina', family: 'Diallo', sex: 'Female', birth: '1990-04-12', phone: '+255 712 345 678', nationalId: 'TZ19900412AD', village: 'Pwani', misspelt: 'Amnia Dialo' },
  { given: 'Joseph', family: 'Mwangi', sex: 'Male', birth: '1979-11-02', phone: '0722 918 273', nationalId: 'KE79110211JM', village: 'Mto wa Mbu', misspelt: 'Josef Mwangy' },
  { given: 'Zoë Ngozí', family: 'Okafor', sex: 'Female', birth: '2001-07-30', phone: '+234 803 555 0199', nationalId: 'NG20010730ZO', village: 'Ikeja', misspelt: 'zoe okafr' },
];

async function register(page: Page, p: (typeof patients)[number]) {
  await page.getByRole('link', { name: 'Register a patient' }).click();
  await page.getByLabel('Given names').fill(p.given);
  await page.getByLabel('Family name').fill(p.family);
  await page.getByRole('radio', { name: p.sex, exact: true }).check();
  await page.getByLabel('Date of birth', { exact: true }).fill(p.birth);
  await page.getByLabel('Phone').fill(p.phone);
  await page.getByLabel('National ID (optional)').fill(p.nationalId);
  await page.getByLabel('Village').fill(p.village);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${p.family.toUpperCase()}, ${p.given}`);
  await page.getByRole('link', { name: 'Patients' }).click();
}

test('set up a clinic, register patients, lock, unlock and find them again; nothing readable at rest', async ({}, testInfo) => {
  test.setTimeout(120_000);
  const host = await startHost();
  const profile = await mkdtemp(join(tmpdir(), 'clinic-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs,
    viewport: { width: 1366, height: 768 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const shot = async (name: string) => {
    const path = testInfo.outputPath(`${name}.png`);
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach(name, { path, contentType: 'image/png' });
  };

  try {
    await setUpClinic(page, host.url);

    for (const p of patients) await register(page, p);
    await shot('2-registered');

    await page.getByRole('button', { name: 'Lock' }).click();
    await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'locked');
    await expect(page.getByText('Amina')).toHaveCount(0);
    await page.getByLabel('User name').fill(admin.username);
    await page.getByLabel('Passphrase').fill('tide pools at dusk');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByTestId('lock-error')).toContainText('The user name or passphrase is not right');
    await shot('3-wrong-passphrase');
    await page.getByLabel('Passphrase').fill(admin.passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'unlocked');

    for (const p of patients) {
      await page.getByRole('link', { name: 'Patients' }).click();
      await page.getByLabel('Find a patient').fill(p.misspelt);
      const first = page.getByTestId('search-results').getByRole('link').first();
      await expect(first).toContainText(`${p.family.toUpperCase()}, ${p.given}`);
      await first.click();
      await expect(page.getByTestId('demographics')).toContainText(p.nationalId);
    }
    await shot('4-chart');
  } finally {
    await context.close();
    await stopHost(host);
  }

  // At rest: the same scan must find the clinic name (stored in clear on purpose)
  // and must find none of the patients' names, phones or national IDs.
  const secrets = patients.flatMap((p) => [p.family, p.given.split(' ')[0]!, p.nationalId, p.phone.replace(/\D/g, '').slice(-9), p.village]);
  const found = await scanForText(profile, [clinicName, ...secrets]);
  expect(found.get(clinicName), 'the scan must see plaintext where there is some').toBeDefined();
  for (const secret of secrets) expect(found.get(secret), `"${secret}" found at rest`).toBeUndefined();
  await rm(profile, { recursive: true, force: true });
});

test('an idle workstation locks itself and shows no patient data until unlocked', async ({ page, host }) => {
  await page.clock.install();
  await setUpClinic(page, host.url);
  await register(page, patients[0]!);
  await page.getByLabel('Find a patient').fill('Amina');
  await expect(page.getByTestId('search-results')).toContainText('DIALLO');

  // Four minutes of no input: still open. Past the default five: locked.
  await page.clock.fastForward('04:00');
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'unlocked');
  await page.clock.fastForward('01:05');
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'locked');
  await expect(page.getByText('The workstation locked itself after a period without use.')).toBeVisible();
  await expect(page.getByText('DIALLO')).toHaveCount(0);
  await page.goto(`${host.origin}/patients`);
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'locked');
});
