import type { Page } from '@playwright/test';
import { addStaff, admin, logIn, setUpClinic, switchUser } from './clinic-steps';
import { expect, test } from './host-fixture';

/** A navigation inside the page (as a link would make), so the unlocked session stays. */
async function goInside(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    window.history.pushState({}, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

async function expectOnlyUnlockForm(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/locked$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveCount(0);
}

test('while locked, every address shows only the unlock form; unlocking returns to the page', async ({ page, host }) => {
  await setUpClinic(page, host.url);
  await page.getByRole('link', { name: 'My account' }).click();
  await page.getByRole('button', { name: 'Lock' }).click();
  await expectOnlyUnlockForm(page);
  await expect(page).toHaveURL(/\/account$/);

  // Typed addresses (each a fresh start, so locked) and one inside the locked page.
  for (const path of ['/settings', '/staff', '/patients/new', '/no-such-page']) {
    await page.goto(`${host.origin}${path}`);
    await expectOnlyUnlockForm(page);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toHaveCount(0);
  }
  await goInside(page, '/settings');
  await expectOnlyUnlockForm(page);
  // The workstation's own facts stay readable for support.
  await page.getByText('Workstation details, for support').click();
  await expect(page.getByTestId('system-info')).toBeVisible();

  await logIn(page, admin.username, admin.passphrase);
  await expect(page).toHaveURL(/\/settings$/);
  await goInside(page, '/audit');
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
});

test('a nurse who unlocks where an admin was lands on Patients, and an admin page says it is not for her role', async ({ page, host }) => {
  await setUpClinic(page, host.url);
  await addStaff(page, { name: 'Neema Njeri', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();

  await switchUser(page, 'neema', 'mango season rain');
  await expect(page).toHaveURL(/\/patients$/);
  await expect(page.getByRole('heading', { name: 'Patients', level: 1 })).toBeVisible();

  await goInside(page, '/staff');
  await expect(page.getByRole('heading', { name: 'Not available for your role' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Page not found' })).toHaveCount(0);
  await expect(page.getByRole('cell', { name: 'Neema Njeri' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Go to Patients' }).click();
  await expect(page.getByRole('heading', { name: 'Patients', level: 1 })).toBeVisible();
});

test('an admin resets a passphrase and changes a role; the person must choose a new passphrase at login; nobody disables themselves', async ({ page, host }) => {
  await setUpClinic(page, host.url);
  await addStaff(page, { name: 'Baraka Otieno', username: 'baraka', role: 'nurse', passphrase: 'mangroves at noon' });
  const row = page.getByRole('row', { name: /Baraka Otieno/ });
  const own = page.getByRole('row', { name: /Asha Mbeki/ });
  // Her own account, the clinic's only admin: no disable button, no role choice, no reset.
  await expect(own.getByRole('button')).toHaveCount(0);
  await expect(own.getByRole('combobox')).toHaveCount(0);

  await row.getByRole('combobox', { name: 'Role of Baraka Otieno' }).selectOption('clinician');
  await expect(row.getByRole('combobox', { name: 'Role of Baraka Otieno' })).toHaveValue('clinician');
  await row.getByRole('button', { name: 'Reset passphrase' }).click();
  await page.getByLabel('Temporary passphrase', { exact: true }).fill('temporary for baraka');
  await page.getByLabel('Temporary passphrase again').fill('temporary for baraka');
  await page.getByRole('button', { name: 'Set temporary passphrase' }).click();
  await expect(row).toContainText('must choose a new passphrase');

  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByLabel('User name').fill('baraka');
  await page.getByLabel('Passphrase').fill('mangroves at noon');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('lock-error')).toContainText('not right');
  await page.getByLabel('Passphrase').fill('temporary for baraka');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('change-required')).toBeVisible();
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'locked');
  await page.getByLabel('New passphrase', { exact: true }).fill('baraka chose this one');
  await page.getByLabel('New passphrase again').fill('baraka chose this one');
  await page.getByRole('button', { name: 'Save passphrase and unlock' }).click();
  await expect(page.getByTestId('lock-status')).toContainText('Baraka Otieno (clinician)');

  await switchUser(page, 'baraka', 'baraka chose this one');
  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByRole('button', { name: 'Forgot your passphrase?' }).click();
  await expect(page.getByTestId('forgot-advice')).toContainText('Ask a clinic administrator');
});
