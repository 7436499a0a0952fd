import { registerAndCapture, setUpClinic } from './clinic-steps';
import { expect, startHost, stopHost, test, type RunningHost } from './host-fixture';

// The simulated FreeStyle meter holds this week's results, newest first: a HI
// 20 minutes ago, 112 mg/dL, a LO two days ago, and 140 mg/dL from last month.
let host: RunningHost;

test.beforeEach(async () => {
  host = await startHost(undefined, 0, ['--simulate', 'freestyle', '--simulate', 'hid-scale']);
});

test.afterEach(async () => {
  await stopHost(host);
});

async function captureFor(page: import('@playwright/test').Page, given: string, family: string) {
  await setUpClinic(page, host.url);
  await registerAndCapture(page, { given, family, sex: 'Male', birthDate: '1961-07-30' });
}

test('a HI glucose from the meter is shown as above its range with an urgent alert, and stored as such in the chart', async ({ page }, testInfo) => {
  await captureFor(page, 'Baraka', 'Otieno');
  await page.getByTestId('device-list').getByRole('listitem').filter({ hasText: 'FreeStyle' }).getByRole('button', { name: 'Read this device' }).click();
  await expect(page.getByText('The meter sent 4 results.')).toBeVisible();
  await expect(page.getByTestId('alert-above-range')).toContainText('Very high blood glucose is an emergency');
  await expect(page.getByTestId('alert-below-range')).toContainText('Very low blood glucose is an emergency');

  const rows = page.getByTestId('download-results').getByRole('listitem');
  await expect(rows).toHaveCount(4);
  const high = rows.nth(0);
  await expect(high).toContainText('> 500 mg/dL');
  await expect(high).toContainText('Above the meter’s range (HI)');
  await expect(rows.nth(2)).toContainText('< 20 mg/dL');
  await expect(rows.nth(2)).toContainText('Below the meter’s range (LO)');
  await expect(rows.nth(3)).toContainText('More than 7 days old');
  await expect(rows.nth(1)).not.toContainText('days old');
  await page.screenshot({ path: testInfo.outputPath('capture-glucose-hi.png'), fullPage: true });

  await high.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Store 1 selected' }).click();
  await expect(page.getByRole('button', { name: 'Stored in the chart.' })).toBeVisible();

  await page.getByRole('link', { name: 'Back to the chart' }).click();
  await expect(page.getByTestId('latest-glucose')).toHaveText('Latest: > 500 mg/dL (above the meter’s range)');
  await expect(page.getByTestId('trend-glucose').getByRole('img')).toHaveAttribute('aria-label', /: >500 mg\/dL$/);
});

test('the scale’s panel speaks of the weight, never of a pulse', async ({ page }) => {
  await captureFor(page, 'Juma', 'Mwangi');
  await page.getByTestId('device-list').getByRole('listitem').filter({ hasText: 'M10' }).getByRole('button', { name: 'Read this device' }).click();
  const panel = page.getByTestId('run-panel');
  await expect(panel.getByTestId('live-weight')).toHaveText('72.4');
  await expect(panel).not.toContainText(/pulse|finger|probe/i);
  // A settled weight is not "still settling" either.
  await expect(panel.getByTestId('device-status')).toHaveCount(0);
  await page.getByRole('button', { name: 'Store these values' }).click();
  await expect(page.getByRole('button', { name: 'Stored in the chart.' })).toBeVisible();
});
