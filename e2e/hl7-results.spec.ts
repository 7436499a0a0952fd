import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Message } from 'node-hl7-client';
import { startMllpListener, type MllpListener } from '../tools/hl7/mllp-listener';
import { registerAndCapture, setUpClinic, storeVitals } from './clinic-steps';
import { expect, test } from './host-fixture';

let listener: MllpListener | undefined;
test.afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

test('an admin sets the lab’s HL7 endpoint, sends a visit’s results over MLLP, and writes them to results.hl7; another parser reads them', async ({ page, host }, testInfo) => {
  listener = await startMllpListener('AA');
  await setUpClinic(page, host.url);
  await registerAndCapture(page);
  await storeVitals(page, { temperature: '38.4', systolic: '128', diastolic: '84' });

  await page.getByRole('link', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'HL7 v2 results endpoint' });
  await section.getByLabel('Host name or IP address').fill('http://127.0.0.1/');
  await section.getByRole('button', { name: 'Save the endpoint' }).click();
  await expect(section).toContainText('without http:// or a path');
  await section.getByLabel('Host name or IP address').fill('127.0.0.1');
  await section.getByLabel('Port').fill(String(listener.port));
  await section.getByLabel('Receiving application').fill('LABSYS');
  await section.getByLabel('Receiving facility').fill('DISTRICT');
  await section.getByRole('button', { name: 'Save the endpoint' }).click();
  await expect(section.getByTestId('hl7-endpoint')).toContainText(`127.0.0.1:${listener.port}`);
  await section.getByRole('button', { name: 'Check the connection' }).click();
  await expect(section.getByTestId('hl7-endpoint-check')).toHaveText('The endpoint accepted a connection.');

  await page.getByRole('link', { name: 'FHIR export' }).click();
  await page.getByRole('radio', { name: /to the lab endpoint/ }).check();
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByTestId('export-done')).toContainText('Sent the results of 1 visit: the endpoint accepted 1.');
  await page.screenshot({ path: testInfo.outputPath('hl7-results.png'), fullPage: true });
  expect(listener.received).toHaveLength(1);
  const [message] = listener.byControlId.values();
  expect(message!.get('MSH.5').toString()).toBe('LABSYS');
  expect(message!.get('PID.5.1').toString()).toBe('Juma');
  const obx = message!.get('OBX') as unknown as { get(i: number): { get(p: string): { toString(): string } } };
  const coded = [0, 1, 2].map((i) => `${obx.get(i).get('3.1').toString()} ${obx.get(i).get('5').toString()} ${obx.get(i).get('6.1').toString()}`).sort();
  expect(coded).toEqual(['8310-5 38.4 Cel', '8462-4 84 mm[Hg]', '8480-6 128 mm[Hg]']);

  // The same results as a file, for a lab that takes files.
  await page.getByRole('radio', { name: /in a file, results\.hl7/ }).check();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('export-done')).toContainText('results.hl7');
  const exportsDir = join(host.dataDir, 'exports');
  const [folder] = readdirSync(exportsDir).filter((name) => /^hl7-\d{8}-\d{6}-v2-[0-9a-f]{8}$/.test(name));
  const text = readFileSync(join(exportsDir, folder!, 'results.hl7'), 'utf8');
  expect(new Message({ text }).get('MSH.10').toString()).toBe(message!.get('MSH.10').toString());
});
