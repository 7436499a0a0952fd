import { expect, type Page } from '@playwright/test';

export const clinicName = 'Kisiwa Health Centre';
export const admin = { name: 'Asha Mbeki', username: 'asha', passphrase: 'tide pools at dawn' };

/** First-run setup through the UI; returns the recovery key shown once, after confirming it was written down. */
export async function setUpClinic(page: Page, url: string): Promise<string> {
  await page.goto(url);
  await page.getByLabel('Clinic name').fill(clinicName);
  await page.getByLabel('Your full name').fill(admin.name);
  await page.getByLabel('User name').fill(admin.username);
  await page.getByLabel('Passphrase', { exact: true }).fill(admin.passphrase);
  await page.getByLabel('Passphrase again').fill(admin.passphrase);
  await page.getByRole('button', { name: 'Set up the clinic' }).click();
  const key = page.getByTestId('recovery-key');
  await expect(key).toHaveText(/^([0-9A-Z]{4}-){12}[0-9A-Z]{4}$/, { timeout: 20_000 });
  const recoveryKey = (await key.textContent()) ?? '';
  await expect(page.getByRole('button', { name: 'Continue' })).toBeDisabled();
  await page.getByLabel('I have written down the recovery key and stored it safely').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'unlocked');
  return recoveryKey;
}

/** Locks, then logs in as `username` through the lock screen. */
export async function switchUser(page: Page, username: string, passphrase: string): Promise<void> {
  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'unlocked');
}
