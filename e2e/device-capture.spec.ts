import { open, type FileHandle } from 'node:fs/promises';
import { cms50dLiveStream } from '../device-bridge/drivers/cms50d/simulator';
import { createPtyPair, type PtyPair } from '../device-bridge/simulate/pty-pair';
import { admin, registerAndCapture, setUpClinic, switchUser } from './clinic-steps';
import { expect, startHost, stopHost, test, type RunningHost } from './host-fixture';

let pty: PtyPair;
let host: RunningHost;
let simulator: FileHandle;
let pacing: ReturnType<typeof setInterval>;
let sent = 0;

/** A CMS50D+ on a real pty: three frames every 50 ms, as the device streams at 60 a second. */
function streamOximeter(spo2: number, pulse: number) {
  clearInterval(pacing);
  pacing = setInterval(() => {
    void simulator.write(cms50dLiveStream({ spo2, pulse, samples: 3, from: sent })).catch(() => undefined);
    sent += 3;
  }, 50);
}

test.beforeEach(async () => {
  pty = await createPtyPair();
  simulator = await open(pty.simulatorPort, 'w');
  host = await startHost(undefined, 0, ['--serial', `${pty.devicePort}=cms50d`, '--simulate', 'contour-next']);
});

test.afterEach(async () => {
  clearInterval(pacing);
  await simulator.close().catch(() => undefined);
  await pty.unplug();
  await stopHost(host);
});

async function newPatient(page: import('@playwright/test').Page) {
  await setUpClinic(page, host.url);
  await registerAndCapture(page);
}

test('a pulse oximeter streams live values to the capture screen; confirmed, they are in the chart after lock and unlock', async ({ page }, testInfo) => {
  streamOximeter(96, 74);
  await newPatient(page);
  const oximeter = page.getByTestId('device-list').getByRole('listitem').filter({ hasText: 'CMS50D+' });
  await oximeter.getByRole('button', { name: 'Read this device' }).click();
  await expect(page.getByTestId('live-spo2')).toHaveText('96');
  await expect(page.getByTestId('live-pulse')).toHaveText('74');
  await expect.poll(async () => Number(await page.getByTestId('pleth-trace').getAttribute('data-samples'))).toBeGreaterThan(30);
  await page.screenshot({ path: testInfo.outputPath('capture-live.png'), fullPage: true });
  // Air or oxygen has no default: storing waits for the nurse's choice, and says so.
  await expect(page.getByRole('button', { name: 'Store these values' })).toBeDisabled();
  await expect(page.getByTestId('store-hint')).toContainText('Choose room air or supplemental oxygen');
  await page.getByRole('radio', { name: 'Room air' }).check();
  await page.getByRole('button', { name: 'Store these values' }).click();
  await expect(page.getByRole('button', { name: 'Stored in the chart.' })).toBeVisible();

  await page.getByRole('link', { name: 'Back to the chart' }).click();
  await expect(page.getByTestId('trend-spo2')).toHaveAttribute('data-latest', '96');
  await switchUser(page, admin.username, admin.passphrase);
  await page.getByRole('link', { name: 'Patients' }).click();
  await page.getByLabel('Find a patient').fill('Juma');
  await page.getByTestId('search-results').getByRole('link').first().click();
  await expect(page.getByTestId('trend-spo2')).toHaveAttribute('data-latest', '96');
  await expect(page.getByTestId('trend-pulse')).toHaveAttribute('data-latest', '74');
  await page.screenshot({ path: testInfo.outputPath('chart-vitals.png'), fullPage: true });
});

test('unplugging the oximeter mid-stream ends the reading run in plain words and stores nothing', async ({ page }) => {
  streamOximeter(95, 80);
  await newPatient(page);
  await page.getByTestId('device-list').getByRole('listitem').filter({ hasText: 'CMS50D+' }).getByRole('button', { name: 'Read this device' }).click();
  await expect(page.getByTestId('live-spo2')).toHaveText('95');
  // Garbage on the line first: skipped with a message, never a value.
  await simulator.write(Buffer.from('\x00\x01\x02garbage on the line\x7f', 'latin1'));
  await expect(page.getByTestId('run-errors')).toContainText('could not be used');
  clearInterval(pacing);
  await pty.unplug();
  await expect(page.getByTestId('run-ended')).toContainText('The device was disconnected during the reading');
  await page.getByRole('link', { name: 'Back to the chart' }).click();
  await expect(page.getByText('No vital signs recorded yet.')).toBeVisible();
});

test('a glucometer download lists the stored results; the picked one is stored with its unit and time', async ({ page }) => {
  await newPatient(page);
  const meter = page.getByTestId('device-list').getByRole('listitem').filter({ hasText: 'Contour' });
  await meter.getByRole('button', { name: 'Read this device' }).click();
  await expect(page.getByText('The meter sent 2 results.')).toBeVisible();
  const results = page.getByTestId('download-results');
  await expect(results.getByRole('listitem')).toHaveCount(2);
  // Newest first, whatever order the meter sent; the simulated meter's clock and results are from 2024.
  await expect(results.getByRole('listitem').first()).toContainText('162 mg/dL');
  await expect(results.getByRole('listitem').first()).toContainText('days old');
  await expect(page.getByTestId('meter-clock')).toContainText('The meter’s clock says');
  await results.getByRole('listitem').filter({ hasText: '104 mg/dL' }).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Store 1 selected' }).click();
  await expect(page.getByRole('button', { name: 'Stored in the chart.' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the chart' }).click();
  await expect(page.getByTestId('trend-glucose')).toHaveAttribute('data-latest', '104');
  await expect(page.getByTestId('trend-glucose').getByRole('img')).toHaveAttribute('aria-label', /mg\/dL/);
});
