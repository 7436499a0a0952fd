import { admin, logIn, setUpClinic } from './clinic-steps';
import { startHost, stopHost, expect, test } from './host-fixture';

test('the frame is keyboard-navigable and fits a 1366×768 screen', async ({ page, host }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.url);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected');

  // The first screen puts the cursor in its first field; the frame is reachable backwards.
  await expect(page.getByLabel('Clinic name')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('link', { name: 'Settings' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
  // Tab forward to the Settings link and open it with Enter, no mouse involved.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('switching the language to French translates the frame and survives a reload', async ({ page, host }, testInfo) => {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Language').selectOption('fr');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Paramètres', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Principal' })).toBeVisible();
  await expect(page.getByTestId('connection-status')).toContainText('Connecté');
  await page.screenshot({ path: testInfo.outputPath('frame-french.png') });
});

test('an invalid setting is explained next to its field and nothing is saved', async ({ page, host }) => {
  // The idle lock is a clinic setting (one sealed record for every workstation): an admin's, once unlocked.
  await setUpClinic(page, host.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  const idle = page.getByLabel('Lock after this many minutes without use');
  await expect(idle).toHaveValue('5');
  await idle.fill('0');
  await page.getByRole('button', { name: 'Save clinic settings' }).click();
  await expect(idle).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Enter a whole number of minutes from 1 to 60.')).toBeVisible();
  await page.getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByLabel('Lock after this many minutes without use')).toHaveValue('5');
});

test('a page opened without the launch token is refused in plain words', async ({ page, host }) => {
  await page.goto(host.origin);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'unauthorized');
  await expect(page.getByTestId('connection-status')).toContainText('open the address printed when the workstation started');
});

test('when the workstation service restarts, the page says so and reconnects with the new address', async ({ page }) => {
  const first = await startHost();
  await page.goto(first.url);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected');
  const port = new URL(first.origin).port;
  await page.getByRole('link', { name: 'Settings' }).click();
  await stopHost(first, true);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'disconnected');
  await page.getByRole('button', { name: 'Check the workstation service' }).click();
  await expect(page.getByTestId('ping-result')).toContainText('not reachable');

  // The same data folder and port, but a new launch token: the tab's token no
  // longer opens it, and it says so instead of pretending to be connected.
  const second = await startHost(first.dataDir, Number(port));
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'unauthorized', { timeout: 20_000 });
  await page.goto(second.url);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected');
  await stopHost(second);
});

test('an open page stops showing patient data when the workstation service restarts, and asks to reconnect and unlock', async ({ page }) => {
  const first = await startHost();
  const port = Number(new URL(first.origin).port);
  await setUpClinic(page, first.url);
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'unlocked');

  await stopHost(first, true);
  const second = await startHost(first.dataDir, port);
  // The old token no longer opens the restarted service: the page locks instead of going on showing data.
  await expect(page.getByTestId('service-restarted')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('lock-status')).not.toHaveAttribute('data-state', 'unlocked');
  await expect(page.getByRole('link', { name: 'Patients' })).toHaveCount(0);

  await page.goto(second.url);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected');
  await logIn(page, admin.username, admin.passphrase);
  await expect(page.getByRole('link', { name: 'Patients' })).toBeVisible();
  await stopHost(second);
});
