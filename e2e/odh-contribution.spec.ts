import { startHubProcess } from '../sync/hub/test-support';
import { clinicName, finishClinicSetup, joinHub } from './clinic-steps';
import { expect, startHost, stopHost, test } from './host-fixture';

/**
 * The Open Data Hub through the screens: consent recorded on a patient's
 * chart, the admin's contribution page sending it (Safe Harbor here: one
 * patient could never be k-anonymous), the queue showing it delivered with
 * the hub's receipt, and the hub's ODH holding one de-identified patient.
 */
test('consent on the chart, then an admin contributes and sees it delivered', async ({ browser }) => {
  test.setTimeout(120_000);
  const hub = await startHubProcess();
  const context = await browser.newContext();
  const host = await startHost();
  try {
    const clinic = hub.admin('create-clinic', '--name', clinicName).stdout;
    const reader = hub.admin('odh-reader', '--name', 'District health office').stdout;
    const page = await context.newPage();
    await page.goto(host.url);
    await joinHub(page, { url: hub.url, code: hub.admin('issue-code', '--clinic', clinic).stdout, workstationName: 'Front desk' });
    await expect(page.getByTestId('first-on-hub')).toBeVisible({ timeout: 20_000 });
    await finishClinicSetup(page);

    await page.getByRole('link', { name: 'Register a patient' }).click();
    await page.getByLabel('Given names').fill('Amina');
    await page.getByLabel('Family name').fill('Diallo');
    await page.getByRole('radio', { name: 'Female', exact: true }).check();
    await page.getByLabel('Date of birth', { exact: true }).fill('1990-04-12');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('DIALLO, Amina');

    // The chart: no decision yet; the patient consents.
    const consent = page.getByTestId('consent');
    await expect(consent.getByTestId('consent-now')).toHaveText(/No decision recorded/);
    await expect(consent.getByRole('radio', { name: 'Withdraws consent' })).toHaveCount(0);
    await consent.getByRole('radio', { name: 'Consents to research use' }).check();
    await consent.getByRole('button', { name: 'Record decision' }).click();
    await expect(consent.getByTestId('consent-now')).toHaveText(/^Consented on .*contributes to the Open Data Hub/);
    await expect(consent.getByRole('row')).toHaveCount(2);

    // The admin's page: Safe Harbor, contribute, delivered with a receipt.
    await page.getByRole('link', { name: 'Open Data Hub' }).click();
    await page.getByRole('radio', { name: /HIPAA Safe Harbor/ }).check();
    await page.getByRole('button', { name: 'Contribute now' }).click();
    await expect(page.getByTestId('odh-done')).toContainText('Queued: 1 patients');
    await expect(page.getByTestId('odh-done')).toContainText('HIPAA Safe Harbor');
    await expect(page.getByTestId('odh-queue-counts')).toHaveText(/delivered: 1/, { timeout: 20_000 });
    await expect(page.getByTestId('odh-queue')).toContainText(/Receipt [0-9a-f]{32}/);

    const patients = await (await fetch(`${hub.url}_odh/export/Patient.ndjson`, { headers: { Authorization: `Bearer ${reader}` } })).text();
    expect(patients.trim().split('\n')).toHaveLength(1);
    expect(patients).not.toMatch(/Amina|Diallo|1990-04-12/);
    expect(JSON.parse(patients)).toMatchObject({ resourceType: 'Patient', gender: 'female', birthDate: '1990' });
  } finally {
    await context.close();
    await stopHost(host);
    await hub.stop();
  }
});
