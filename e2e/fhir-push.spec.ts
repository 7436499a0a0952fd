import type { Bundle, Patient } from '@medplum/fhirtypes';
import { startFhirServer, type RunningFhirServer } from '../tools/fhir/server/fhir-server';
import { loadFhirValidators } from '../tools/fhir/validators';
import { registerAndCapture, setUpClinic, storeVitals } from './clinic-steps';
import { expect, test } from './host-fixture';

let server: RunningFhirServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('an admin sets the district’s FHIR server, checks it, and sends the clinic to it; wrong credentials are said plainly', async ({ page, host }, testInfo) => {
  loadFhirValidators();
  server = await startFhirServer({ auth: { kind: 'bearer', token: 'district-token-42' } });
  await setUpClinic(page, host.url);
  await registerAndCapture(page);
  await storeVitals(page, { temperature: '37.9' });

  await page.getByRole('link', { name: 'FHIR export' }).click();
  await expect(page.getByRole('radio', { name: /A FHIR server \(none is set/ })).toBeDisabled();

  await page.getByRole('link', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'FHIR server' });
  await section.getByLabel('Server address (FHIR base URL)').fill(server.url);
  await section.getByRole('radio', { name: 'Access token (Bearer)' }).check();
  await section.getByLabel('Access token', { exact: true }).fill('district-token-4');
  await section.getByRole('button', { name: 'Save' }).click();
  await expect(section.getByTestId('fhir-server')).toContainText(server.url);
  await section.getByRole('button', { name: 'Check the server' }).click();
  await expect(section.getByTestId('fhir-server-check')).toContainText('refused this workstation\'s credentials');
  await section.getByRole('radio', { name: 'Access token (Bearer)' }).check();
  await section.getByLabel('Access token', { exact: true }).fill('district-token-42');
  await section.getByRole('button', { name: 'Save' }).click();
  await section.getByRole('button', { name: 'Check the server' }).click();
  await expect(section.getByTestId('fhir-server-check')).toContainText('The server answers: FHIR 4.0.1');
  // The token never comes back to the screens.
  await expect(section).not.toContainText('district-token-42');

  await page.getByRole('link', { name: 'FHIR export' }).click();
  await page.getByRole('radio', { name: /The FHIR server/ }).check();
  await expect(page.getByRole('group', { name: 'Format of the files' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const done = page.getByTestId('export-done');
  await expect(done).toContainText(`Sent 1 patient to ${server.url}: the server stored`);
  await page.screenshot({ path: testInfo.outputPath('fhir-push.png'), fullPage: true });

  const held = (await (await fetch(`${server.url}Patient`, { headers: { Authorization: 'Bearer district-token-42' } })).json()) as Bundle<Patient>;
  expect(held.entry?.map((entry) => entry.resource?.name?.[0]?.family)).toEqual(['Juma']);
});

test('an admin chooses SMART Backend Services: the workstation makes its own key and shows only the public half to register', async ({ page, host }) => {
  await setUpClinic(page, host.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'FHIR server' });
  await section.getByLabel('Server address (FHIR base URL)').fill('https://fhir.district.example/fhir/R4');
  await section.getByRole('radio', { name: /SMART Backend Services/ }).check();
  await section.getByRole('button', { name: 'Save' }).click();
  await expect(section.getByText('Enter the client id the server’s administrator gave you.')).toBeVisible();
  await section.getByLabel('Client id', { exact: true }).fill('kisiwa-clinic');
  await section.getByRole('button', { name: 'Save' }).click();
  const jwks = section.getByTestId('fhir-server-jwks');
  await expect(jwks).toContainText('"kty": "EC"');
  await expect(jwks).toContainText('"alg": "ES384"');
  expect(await jwks.textContent()).not.toContain('"d"');
  await expect(section.getByTestId('fhir-server')).toContainText('kisiwa-clinic');
});
