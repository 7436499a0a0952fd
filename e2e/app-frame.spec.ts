import { expect, test } from './host-fixture';

test('the app loads in browser mode, shows its frame and round-trips contract calls', async ({ page, host }, testInfo) => {
  await page.goto(host.url);

  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByTestId('lock-status')).toContainText('No clinic set up yet');
  // The launch token is taken out of the address bar once read.
  expect(page.url()).not.toContain('token=');

  // Settings shows system facts fetched through the contract over the WebSocket.
  await page.getByRole('link', { name: 'Settings' }).click();
  // A contract call round-trips: the ping answers with our nonce.
  await page.getByRole('button', { name: 'Check the workstation service' }).click();
  await expect(page.getByTestId('ping-result')).toContainText(/answered in \d+ ms/);
  await expect(page.getByTestId('system-transport')).toHaveText('WebSocket (127.0.0.1)');
  await expect(page.getByTestId('system-node')).toHaveText(/^\d+\.\d+\.\d+$/);
  await expect(page.getByText('Browser mode')).toBeVisible();

  const shot = testInfo.outputPath('frame-settings.png');
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach('frame-settings', { path: shot, contentType: 'image/png' });
});
