import type { Bundle, Location, Resource, ServiceRequest } from '@medplum/fhirtypes';
import type { Page } from '@playwright/test';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHubProcess } from '../sync/hub/test-support';
import { startFhirServer, type RunningFhirServer } from '../tools/fhir/server/fhir-server';
import { loadFhirValidators } from '../tools/fhir/validators';
import { admin, clinicName, finishClinicSetup, joinHub, logIn, makeWorkstationCode, registerAndCapture, storeVitals } from './clinic-steps';
import { expect, startHost, stopHost, test, type RunningHost } from './host-fixture';

/**
 * A referral from the chart, across two workstations of one clinic and the
 * real hub (with the Andorra extract's roads and facilities, ../shared/data/osm,
 * © OpenStreetMap contributors, ODbL): vital signs with a parameter scoring 3
 * offer a referral; the nurse chooses what the patient needs, the nearest
 * facility able to do it by road, and sends; the letter says where, why and
 * the vitals it went with. The other workstation sees the referral on the
 * patient's chart, records that the facility accepted, and the first sees it;
 * the FHIR push then takes the referral to a real FHIR server as a
 * ServiceRequest with its destination.
 */

const syncTimeout = 30_000;
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));
const syncStatus = (page: Page) => page.getByTestId('sync-status');

async function openPatient(page: Page, query: string): Promise<void> {
  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  await page.getByLabel('Find a patient').fill(query);
  await page.getByTestId('search-results').getByRole('link').first().click();
}

test('a referral made on one workstation appears on the other, news recorded there comes back, and the FHIR push sends it', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  await mkdir(artifacts, { recursive: true });
  const extract = fileURLToPath(new URL('../../shared/data/osm/andorra.osm.pbf', import.meta.url));
  const hub = await startHubProcess();
  const hosts: RunningHost[] = [];
  const contexts = [await browser.newContext(), await browser.newContext()];
  let fhir: RunningFhirServer | undefined;
  try {
    expect(hub.admin('region-import', '--file', extract).status).toBe(0);
    expect(hub.admin('directory-import', '--file', extract).status).toBe(0);
    // The extract tags no facility with surgery: the operator adds one from a healthsites.io file.
    const healthsites = join(hub.dataDir, 'healthsites.csv');
    await writeFile(healthsites, 'X,Y,osm_id,osm_type,amenity,healthcare,name,speciality,beds,contact_number,changeset_timestamp,changeset_user\n1.5310,42.5110,900001,node,hospital,hospital,Centre quirúrgic d’Escaldes,general_surgery,60,+376 800 000,2025-05-01T10:00:00Z,mapper\n');
    expect(hub.admin('directory-import', '--file', healthsites).status).toBe(0);
    const clinic = hub.admin('create-clinic', '--name', clinicName).stdout;
    const [hostA, hostB] = [await startHost(), await startHost()];
    hosts.push(hostA, hostB);
    const [a, b] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];

    await a.goto(hostA.url);
    await joinHub(a, { url: hub.url, code: hub.admin('issue-code', '--clinic', clinic).stdout, workstationName: 'Front desk' });
    await expect(a.getByTestId('first-on-hub')).toBeVisible({ timeout: 20_000 });
    await finishClinicSetup(a);
    const code = await makeWorkstationCode(a);
    await b.goto(hostB.url);
    await joinHub(b, { url: hub.url, code, workstationName: 'Consulting room' });
    await expect(b.getByRole('heading', { name: `${clinicName}: locked` })).toBeVisible({ timeout: 20_000 });

    // A: a temperature of 34.8 °C and a systolic pressure of 88 each score 3, so a referral is offered at once.
    await a.getByRole('link', { name: 'Patients', exact: true }).click();
    await registerAndCapture(a);
    await storeVitals(a, { temperature: '34.8', systolic: '88', diastolic: '50' });
    await a.getByRole('link', { name: 'Back to the chart' }).click();
    const offer = a.getByTestId('referral-offer');
    await expect(offer).toContainText('NEWS2 calls for an urgent clinical response');
    await offer.getByRole('link', { name: 'Refer to a facility' }).click();
    await expect(a.getByRole('heading', { level: 1 })).toHaveText('Refer JUMA, Halima');

    const getRoads = a.getByRole('button', { name: 'Get the road map from the hub' });
    if (await getRoads.isVisible()) await getRoads.click();
    const from = a.getByTestId('facilities-from');
    await expect(from.locator('option', { hasText: 'Andorra la Vella' })).toHaveCount(1, { timeout: 30_000 });
    await from.selectOption({ label: 'Andorra la Vella' });
    await a.getByTestId('facilities-capability').selectOption({ label: 'Surgery' });
    const ranked = a.getByRole('list', { name: 'Nearest by road' }).getByTestId('ranked-facility');
    await expect(ranked).toHaveCount(1, { timeout: 20_000 });
    await expect(ranked).toContainText('Centre quirúrgic d’Escaldes');
    await ranked.click();
    await expect(a.getByTestId('route-summary')).toContainText(/by road/);

    const form = a.getByTestId('referral-form');
    await expect(form.getByRole('heading')).toHaveText('Referral to Centre quirúrgic d’Escaldes');
    // Nothing chosen: each field says what it needs, and nothing is sent.
    await form.getByRole('button', { name: 'Make the referral' }).click();
    await expect(form).toContainText('Say why the patient is referred');
    await expect(form).toContainText('Choose how urgent the referral is.');
    await form.getByLabel('Reason for referral').fill('Hypothermia and low blood pressure after a fall');
    await form.getByLabel('Urgency').selectOption({ label: 'Emergency' });
    await form.getByLabel('Transport').selectOption({ label: 'Ambulance' });
    await form.getByRole('button', { name: 'Make the referral' }).click();

    const letter = a.getByTestId('referral-letter');
    await expect(letter.getByRole('heading', { level: 1 })).toHaveText('Referral letter');
    await expect(letter.getByTestId('letter-facility')).toContainText('Centre quirúrgic d’Escaldes');
    await expect(letter.getByTestId('letter-patient')).toContainText('JUMA, Halima');
    await expect(letter.getByTestId('letter-news2')).toContainText(/at least 6|High/);
    await expect(letter.getByTestId('letter-vitals')).toContainText('34.8 °C');
    await expect(letter.getByTestId('letter-vitals')).toContainText('88 mmHg');
    await expect(letter).toContainText(/(\d m|km), about \d+ min \(Dry season\)/);
    const path = join(artifacts, 'referral-letter.png');
    await a.emulateMedia({ media: 'print' });
    await expect(a.locator('.frame-nav')).toBeHidden();
    await a.screenshot({ path, fullPage: true });
    await a.emulateMedia({ media: 'screen' });
    await testInfo.attach('referral-letter', { path, contentType: 'image/png' });

    // B: the referral arrives with the patient, and B records that the facility accepted.
    await expect(syncStatus(b)).toHaveAttribute('data-state', 'synced', { timeout: syncTimeout });
    await logIn(b, admin.username, admin.passphrase);
    await openPatient(b, 'Halima');
    const onB = b.getByTestId('referral');
    await expect(onB).toHaveCount(1, { timeout: syncTimeout });
    await expect(onB).toContainText('To Centre quirúrgic d’Escaldes, for Surgery');
    await expect(onB.getByTestId('referral-status')).toHaveText('Sent');
    await onB.getByTestId('referral-status-choice').selectOption({ label: 'Accepted by the facility' });
    await onB.getByLabel('Note').fill('Theatre ready, ask for Dr Puig');
    await onB.getByRole('button', { name: 'Save' }).click();
    await expect(onB.getByTestId('referral-status')).toHaveText('Accepted by the facility');

    // A: the news arrives on the open chart.
    await a.getByRole('link', { name: 'Back to the chart' }).click();
    const onA = a.getByTestId('referral');
    await expect(onA.getByTestId('referral-status')).toHaveText('Accepted by the facility', { timeout: syncTimeout });
    await expect(onA).toContainText('Theatre ready, ask for Dr Puig');
    await expect(onA).toContainText('recorded');

    // A's administrator sends the clinic to the district's FHIR server: the referral goes as a ServiceRequest, accepted, to its Location.
    loadFhirValidators();
    fhir = await startFhirServer({ auth: { kind: 'bearer', token: 'district-token-42' } });
    await a.getByRole('link', { name: 'Settings' }).click();
    const server = a.getByRole('region', { name: 'FHIR server' });
    await server.getByLabel('Server address (FHIR base URL)').fill(fhir.url);
    await server.getByRole('radio', { name: 'Access token (Bearer)' }).check();
    await server.getByLabel('Access token', { exact: true }).fill('district-token-42');
    await server.getByRole('button', { name: 'Save' }).click();
    await expect(server.getByTestId('fhir-server')).toContainText(fhir.url);
    await a.getByRole('link', { name: 'FHIR export' }).click();
    await a.getByRole('radio', { name: /The FHIR server/ }).check();
    await a.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(a.getByTestId('export-done')).toContainText(`Sent 1 patient to ${fhir.url}: the server stored`);
    const held = async <T extends Resource>(path: string) => (await (await fetch(`${fhir!.url}${path}`, { headers: { Authorization: 'Bearer district-token-42' } })).json()) as Bundle<T>;
    const requests = await held<ServiceRequest>('ServiceRequest');
    expect(requests.entry?.map((entry) => [entry.resource?.status, entry.resource?.priority, entry.resource?.reasonCode?.[0]?.text])).toEqual([['active', 'stat', 'Hypothermia and low blood pressure after a fall']]);
    const destination = requests.entry![0]!.resource!.locationReference![0]!.reference!;
    const locations = await held<Location>('Location');
    expect(locations.entry?.find((entry) => `Location/${entry.resource?.id}` === destination)?.resource?.name).toBe('Centre quirúrgic d’Escaldes');
  } finally {
    await fhir?.close();
    for (const context of contexts) await context.close();
    for (const host of hosts) await stopHost(host);
    await hub.stop();
  }
});
