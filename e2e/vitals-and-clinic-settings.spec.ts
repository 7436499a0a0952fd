import type { Page } from '@playwright/test';
import { addStaff, admin, logIn, registerAndCapture, setUpClinic, storeVitals, switchUser } from './clinic-steps';
import { expect, test } from './host-fixture';

const storeTemperature = (page: Page, value: string) => storeVitals(page, { temperature: value });

test('a temperature typed alone is stored and shown, with when, how and by whom', async ({ page, host }) => {
  await setUpClinic(page, host.url);
  await registerAndCapture(page);

  // Half a blood pressure is refused, and the missing half is marked required.
  const form = page.getByTestId('manual-entry');
  await form.getByLabel('Systolic blood pressure (mmHg)').fill('128');
  await expect(form.getByLabel('Diastolic blood pressure (mmHg) (required)')).toHaveAttribute('aria-required', 'true');
  await form.getByRole('button', { name: 'Store vital signs' }).click();
  await expect(form.getByLabel('Diastolic blood pressure (mmHg) (required)')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Systolic blood pressure (mmHg)').fill('');

  await storeTemperature(page, '37,8');
  await page.getByRole('link', { name: 'Back to the chart' }).click();

  const trend = page.getByTestId('trend-bodyTemperature');
  await expect(trend).toHaveAttribute('data-latest', '37.8');
  const rows = trend.getByTestId('readings').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('37.8 °C');
  await expect(rows.first()).toContainText('Manual');
  await expect(rows.first()).toContainText(admin.name);
  // Nothing else was made up: no other chart, and NEWS2 scores only the temperature.
  await expect(page.getByTestId('trend-chart')).toHaveCount(1);
  await expect(page.getByTestId('news2-temperature')).toContainText('37.8');
  await expect(page.getByTestId('news2-consciousness')).toContainText('not measured');
});

test('a trend’s axes span its readings, never the future, and the clinical range of the vital', async ({ page, host }, testInfo) => {
  const first = new Date('2026-05-12T08:00:00');
  await page.clock.install({ time: first });
  await setUpClinic(page, host.url);
  await registerAndCapture(page);
  await storeTemperature(page, '37.2');
  // Two hours later (timers untouched, so the idle lock does not fire).
  await page.clock.setSystemTime(new Date(first.getTime() + 2 * 3_600_000));
  await storeTemperature(page, '38.4');
  await page.getByRole('link', { name: 'Back to the chart' }).click();

  const chart = page.getByTestId('trend-bodyTemperature').getByTestId('trend-chart');
  await expect(chart).toHaveAttribute('data-x-max', /\d+/);
  const xMin = Number(await chart.getAttribute('data-x-min'));
  const xMax = Number(await chart.getAttribute('data-x-max'));
  const now = await page.evaluate(() => Date.now());
  expect(xMin).toBeGreaterThanOrEqual(first.getTime());
  expect(xMin).toBeLessThan(first.getTime() + 60_000);
  expect(xMax).toBeGreaterThanOrEqual(first.getTime() + 2 * 3_600_000);
  expect(xMax).toBeLessThanOrEqual(now);
  // 37.2 → 38.4 drawn on 34-42 °C, not stretched to fill the chart.
  await expect(chart).toHaveAttribute('data-y-min', '34');
  await expect(chart).toHaveAttribute('data-y-max', '42');
  // Dates day first by default: 12/05/2026 is 12 May.
  await expect(page.getByTestId('trend-bodyTemperature').getByTestId('readings')).toContainText('12/05/2026');
  await page.screenshot({ path: testInfo.outputPath('chart-temperature.png'), fullPage: true });
});

test('clinic settings: an admin changes them, a nurse only reads them, and nobody reaches them while locked', async ({ page, host }) => {
  await setUpClinic(page, host.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  const clinic = page.getByTestId('clinic-settings');
  await clinic.getByLabel('Lock after this many minutes without use').fill('0');
  await clinic.getByRole('button', { name: 'Save clinic settings' }).click();
  await expect(clinic.getByText('Enter a whole number of minutes from 1 to 60.')).toBeVisible();
  await clinic.getByLabel('Lock after this many minutes without use').fill('15');
  await clinic.getByLabel('Date order').selectOption('year-first');
  await clinic.getByLabel('Blood glucose unit').selectOption('mmol/L');
  await clinic.getByRole('button', { name: 'Save clinic settings' }).click();
  await expect(clinic.getByTestId('clinic-settings-result')).toHaveText('Saved.');

  await addStaff(page, { name: 'Neema Njeri', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });

  await switchUser(page, 'neema', 'mango season rain');
  await page.getByRole('link', { name: 'Settings' }).click();
  const view = page.getByTestId('clinic-settings-view');
  await expect(view).toContainText('15');
  await expect(view).toContainText('Year first');
  await expect(view).toContainText('mmol/L');
  await expect(page.getByTestId('clinic-settings-form')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save clinic settings' })).toHaveCount(0);
  await expect(page.getByText('Only a clinic administrator can change these.')).toBeVisible();

  await page.getByRole('button', { name: 'Lock' }).click();
  await page.goto(`${host.origin}/settings`);
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible();
  await expect(page.getByTestId('clinic-settings')).toHaveCount(0);
  await expect(page.getByText('Lock after this many minutes without use')).toHaveCount(0);

  await logIn(page, admin.username, admin.passphrase);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('clinic-settings').getByLabel('Lock after this many minutes without use')).toHaveValue('15');
});
