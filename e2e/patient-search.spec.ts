import type { Page } from '@playwright/test';
import { admin, finishClinicSetup, logIn } from './clinic-steps';
import { expect, test } from './host-fixture';

/** Made-up patients: a Zambian NRC with its slashes, and an estimated age. */
const phiri = { given: 'Mary', family: 'Phiri', nrc: '123456/78/1', estimatedAge: '70' };
const banda = { given: 'Thomas', family: 'Banda', birth: '1984-02-09' };

async function registerPhiri(page: Page) {
  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  await page.getByRole('link', { name: 'Register a patient' }).click();
  await page.getByLabel('Given names').fill(phiri.given);
  await page.getByLabel('Family name').fill(phiri.family);
  await page.getByRole('radio', { name: 'Female', exact: true }).check();
  await page.getByLabel('Date of birth is known').uncheck();
  await page.getByLabel('Estimated age in years').fill(phiri.estimatedAge);
  await page.getByLabel('National ID (optional)').fill(phiri.nrc);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('PHIRI, Mary');
}

async function registerBanda(page: Page) {
  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  await page.getByRole('link', { name: 'Register a patient' }).click();
  await page.getByLabel('Given names').fill(banda.given);
  await page.getByLabel('Family name').fill(banda.family);
  await page.getByRole('radio', { name: 'Male', exact: true }).check();
  await page.getByLabel('Date of birth', { exact: true }).fill(banda.birth);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('BANDA, Thomas');
}

async function search(page: Page, query: string) {
  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  await page.getByLabel('Find a patient').fill(query);
  return page.getByTestId('search-results').getByRole('link');
}

test('empty forms mark each required field where it is', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Set up the clinic' }).click();
  await expect(page.getByLabel('Clinic name')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Enter the clinic’s name.')).toBeVisible();
  await expect(page.getByText('Enter the person’s full name.')).toBeVisible();
  await expect(page.getByText('Enter a user name.')).toBeVisible();
  await expect(page.getByLabel('Passphrase', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  // A user name the hint does not allow is refused in the hint's own words.
  await page.getByLabel('User name').fill('asha mbeki');
  await page.getByRole('button', { name: 'Set up the clinic' }).click();
  await expect(page.getByText('A user name has 3 to 32 characters: letters a to z, digits, dots, dashes or underscores')).toBeVisible();
  await finishClinicSetup(page);

  await page.getByRole('link', { name: 'Register a patient' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Given names')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Enter the given name or names.')).toBeVisible();
  await expect(page.getByLabel('Family name')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Choose the sex: female, male, other or unknown.')).toBeVisible();
  await expect(page.getByLabel('Date of birth', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Date of birth is known').uncheck();
  await expect(page.getByLabel('Estimated age in years')).toHaveAttribute('aria-invalid', 'true');

  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByLabel('User name')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Passphrase')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Enter the passphrase.')).toBeVisible();
  await expect(page.getByTestId('lock-error')).toBeEmpty();
});

test('a national ID with slashes is kept as typed and found with or without them', async ({ page, host }) => {
  await page.goto(host.url);
  await finishClinicSetup(page);
  await registerPhiri(page);
  await registerBanda(page);

  for (const query of ['123456/78/1', '123456781', '123456 78 1']) {
    const first = (await search(page, query)).first();
    await expect(first, query).toContainText('PHIRI, Mary');
  }
  await (await search(page, '123456781')).first().click();
  await expect(page.getByTestId('demographics')).toContainText(phiri.nrc);
});

test('sound-alike search, estimated ages and recently opened patients', async ({ page, host }) => {
  await page.goto(host.url);
  await finishClinicSetup(page);
  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  await expect(page.getByTestId('search-empty-state')).toBeVisible();
  await expect(page.getByText('Patients you open appear here until the workstation locks.')).toBeVisible();
  await registerPhiri(page);
  await registerBanda(page);

  const firi = (await search(page, 'Firi')).first();
  await expect(firi).toContainText('PHIRI, Mary');
  // An estimated age reads as one, never as a birth year.
  await expect(firi).toContainText('about 70 years');
  await expect(firi).not.toContainText('Born');
  await firi.click();
  await expect(page.getByTestId('chart-header-facts')).toContainText('about 70 years');

  await expect((await search(page, 'Tomas Banda')).first()).toContainText('BANDA, Thomas');
  await page.getByTestId('search-results').getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('BANDA, Thomas');

  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  await expect(page.getByTestId('search-empty-state')).toBeVisible();
  const recent = page.getByTestId('recent-patients').getByRole('link');
  await expect(recent).toHaveCount(2);
  await expect(recent.first()).toContainText('BANDA, Thomas');
  await expect(recent.nth(1)).toContainText('PHIRI, Mary');
  // Opened again: first again.
  await recent.nth(1).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('PHIRI, Mary');
  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  await expect(recent.first()).toContainText('PHIRI, Mary');

  // Locking drops the list with the rest of the decrypted data.
  await page.getByRole('button', { name: 'Lock' }).click();
  await logIn(page, admin.username, admin.passphrase);
  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  await expect(page.getByTestId('recent-patients')).toHaveCount(0);
  await expect(page.getByText('Patients you open appear here until the workstation locks.')).toBeVisible();
});
