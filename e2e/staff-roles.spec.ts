import { admin, setUpClinic, switchUser } from './clinic-steps';
import { expect, test } from './host-fixture';

test('an admin adds a nurse; the nurse works with patients but sees no admin pages; the audit log shows both', async ({ page, host }, testInfo) => {
  await setUpClinic(page, host.url);

  await page.getByRole('link', { name: 'Staff' }).click();
  await page.getByLabel('Full name').fill('Neema Njeri');
  await page.getByLabel('User name').fill('neema');
  await page.getByLabel('Role', { exact: true }).selectOption('nurse');
  await page.getByLabel('First passphrase', { exact: true }).fill('short');
  await page.getByLabel('First passphrase again').fill('short');
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByText('A passphrase needs at least 10 characters')).toBeVisible();
  await page.getByLabel('First passphrase', { exact: true }).fill('mango season rain');
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByText('The two passphrases are not the same.')).toBeVisible();
  await page.getByLabel('First passphrase again').fill('mango season rain');
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByRole('cell', { name: 'Neema Njeri' })).toBeVisible();

  await switchUser(page, 'neema', 'mango season rain');
  await expect(page.getByTestId('lock-status')).toContainText('Neema Njeri (nurse)');
  await expect(page.getByRole('link', { name: 'Staff' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  await page.goto(`${host.origin}/audit`);
  await page.getByLabel('User name').fill('neema');
  await page.getByLabel('Passphrase').fill('mango season rain');
  await page.getByRole('button', { name: 'Unlock' }).click();
  // The audit log is not for nurses: unlocking there lands on Patients.
  await expect(page).toHaveURL(/\/patients$/);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Register a patient' }).click();
  await page.getByLabel('Given names').fill('Baraka');
  await page.getByLabel('Family name').fill('Otieno');
  await page.getByRole('radio', { name: 'Male', exact: true }).check();
  await page.getByLabel('Date of birth is known').uncheck();
  await page.getByLabel('Estimated age in years').fill('34');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('OTIENO, Baraka');

  await switchUser(page, admin.username, admin.passphrase);
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByTestId('audit-verdict')).toContainText('The audit log is intact');
  await page.getByLabel('What').selectOption('patient.create');
  await expect(page.getByTestId('audit-entries').getByRole('row')).toHaveCount(2);
  await expect(page.getByTestId('audit-entries')).toContainText('Neema Njeri');
  // Who was registered, by name and clinic number, looked up now from the decrypted records.
  await expect(page.getByTestId('audit-entries')).toContainText('OTIENO, Baraka (');
  // Only actions the log holds are offered: nothing was exported.
  await expect(page.getByLabel('What').locator('option', { hasText: 'FHIR export' })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('audit-log.png'), fullPage: true });
});

test('a forgotten passphrase is replaced with the recovery key, and the old one stops working', async ({ page, host }) => {
  const recoveryKey = await setUpClinic(page, host.url);
  await page.getByRole('button', { name: 'Lock' }).click();

  await page.getByRole('button', { name: 'Forgot your passphrase?' }).click();
  await expect(page.getByTestId('forgot-advice')).toContainText('Ask a clinic administrator');
  await page.getByRole('button', { name: 'Use the recovery key' }).click();
  await page.getByRole('textbox', { name: 'Recovery key' }).fill(recoveryKey.replace(/-/g, ' ').toLowerCase().replace(/^.{4}/, 'zzzz'));
  await page.getByLabel('User name').fill('asha');
  await page.getByLabel('New passphrase', { exact: true }).fill('a new phrase for asha');
  await page.getByLabel('New passphrase again').fill('a new phrase for asha');
  await page.getByRole('button', { name: 'Set passphrase and unlock' }).click();
  await expect(page.getByTestId('lock-error')).toContainText('That recovery key does not open');

  await page.getByRole('textbox', { name: 'Recovery key' }).fill(recoveryKey.replace(/-/g, ' ').toLowerCase());
  await page.getByRole('button', { name: 'Set passphrase and unlock' }).click();
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'unlocked');

  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByLabel('User name').fill('asha');
  await page.getByLabel('Passphrase').fill('tide pools at dawn');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('lock-error')).toContainText('not right');
  await page.getByLabel('Passphrase').fill('a new phrase for asha');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'unlocked');
});
