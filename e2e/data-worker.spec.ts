import type { Page, Worker } from '@playwright/test';
import { admin, setUpClinic } from './clinic-steps';
import { expect, test } from './host-fixture';

/** The page's data worker (the store, the key and sync live there), once it is running. */
async function dataWorker(page: Page): Promise<Worker> {
  await expect.poll(() => page.workers().filter((w) => w.url().includes('data-worker')).length).toBe(1);
  const [worker] = page.workers().filter((w) => w.url().includes('data-worker'));
  if (!worker) throw new Error('no data worker');
  return worker;
}

test('the store runs in its own worker; if it dies, the screen locks, says so, and the page with what was typed is back after unlocking', async ({ page, host }) => {
  await setUpClinic(page, host.url);
  const first = await dataWorker(page);

  await page.getByRole('link', { name: 'Register a patient' }).click();
  await page.getByLabel('Given names').fill('Halima');
  await page.getByLabel('Family name').fill('Juma');

  // An uncaught error in the worker: nobody can vouch for its state any more.
  await first.evaluate(() => void setTimeout(() => {
    throw new Error('simulated failure');
  }));
  await expect(page.getByTestId('data-service-stopped')).toHaveText(/stopped, so the workstation locked/);
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'locked');
  await expect(page.getByLabel('Given names')).toBeHidden();
  // A new worker serves the unlock; the one that failed is gone.
  await expect.poll(() => page.workers().filter((w) => w.url().includes('data-worker')).length).toBe(1);
  expect(await dataWorker(page)).not.toBe(first);

  await expect(page.getByLabel('User name')).toHaveValue(admin.username);
  await page.getByLabel('Passphrase').fill(admin.passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'unlocked');
  await expect(page.getByTestId('data-service-stopped')).toHaveCount(0);

  // What was typed before is still in the form; finishing it saves the patient through the new worker.
  await expect(page.getByLabel('Given names')).toHaveValue('Halima');
  await expect(page.getByLabel('Family name')).toHaveValue('Juma');
  await page.getByRole('radio', { name: 'Female', exact: true }).check();
  await page.getByLabel('Date of birth', { exact: true }).fill('1984-02-09');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('JUMA, Halima');
  await page.getByRole('link', { name: 'Patients' }).click();
  await page.getByLabel('Find a patient').fill('juma');
  await expect(page.getByTestId('search-results').getByRole('link')).toHaveCount(1);
});

test('a data worker that ends without a word is noticed too: the screen locks and a new worker unlocks it', async ({ page, host }) => {
  await setUpClinic(page, host.url);
  const first = await dataWorker(page);
  await first.evaluate(() => (self as unknown as { close(): void }).close());
  await expect(page.getByTestId('data-service-stopped')).toBeVisible();
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'locked');
  await page.getByLabel('Passphrase').fill(admin.passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'unlocked');
  await expect(page.getByRole('heading', { name: 'Patients', level: 1 })).toBeVisible();
});
