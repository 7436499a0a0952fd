import type { Locator, Page, TestInfo } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHubProcess } from '../sync/hub/test-support';
import { admin, clinicName, finishClinicSetup, joinHub, logIn, makeWorkstationCode, setUpClinic } from './clinic-steps';
import { expect, startHost, stopHost, test, type RunningHost } from './host-fixture';

/**
 * Two workstations of one clinic, each a real browser-mode host with its own
 * data folder and its own browser context, and the real hub between them:
 * joining through the hub (the first workstation with the hub admin's keyless
 * code, the second with a code made on the first), staff and patients
 * arriving by sync, edits made apart while the hub is down, and the conflict
 * they cause resolved on one workstation and gone on the other.
 */

const amina = { given: 'Amina', family: 'Diallo' };
/** Sync takes a retry pause or two after the hub comes back. */
const syncTimeout = 30_000;
/** Kept for review (git-ignored), beside the attachments in the report. */
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));

async function shot(target: Page | Locator, testInfo: TestInfo, name: string): Promise<void> {
  const path = join(artifacts, `hub-sync-${name}.png`);
  // A whole page, or just the part shown (the status bar).
  await ('mainFrame' in target ? target.screenshot({ path, fullPage: true }) : target.screenshot({ path }));
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

const syncStatus = (page: Page) => page.getByTestId('sync-status');

async function openPatient(page: Page, query: string): Promise<void> {
  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  await page.getByLabel('Find a patient').fill(query);
  await page.getByTestId('search-results').getByRole('link').first().click();
}

async function changeFamilyName(page: Page, to: string): Promise<void> {
  await openPatient(page, amina.given);
  await page.getByRole('link', { name: 'Edit details' }).click();
  await page.getByLabel('Family name').fill(to);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${to.toUpperCase()}, ${amina.given}`);
}

test('two workstations join one clinic through the hub, sync patients, and resolve a conflict made while the hub was down', async ({ browser }, testInfo) => {
  test.setTimeout(150_000);
  await mkdir(artifacts, { recursive: true });
  const hub = await startHubProcess();
  const hosts: RunningHost[] = [];
  const contexts = [await browser.newContext(), await browser.newContext()];
  try {
    const created = hub.admin('create-clinic', '--name', clinicName);
    expect(created.status, created.stderr).toBe(0);
    const firstCode = hub.admin('issue-code', '--clinic', created.stdout);
    expect(firstCode.status, firstCode.stderr).toBe(0);
    const [hostA, hostB] = [await startHost(), await startHost()];
    hosts.push(hostA, hostB);
    const [a, b] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];

    // Workstation A: the clinic's first on the hub; the code carries no key, so A sets the clinic up.
    await a.goto(hostA.url);
    await joinHub(a, { url: hub.url, code: firstCode.stdout, workstationName: 'Front desk' });
    await expect(a.getByTestId('first-on-hub')).toBeVisible({ timeout: 20_000 });
    // A wrong hub or code can be undone before the clinic is set up: forget the link, join again.
    await a.getByRole('button', { name: 'Use another hub or code' }).click();
    await expect(a.getByRole('heading', { name: 'Join my clinic’s hub' })).toBeVisible();
    const secondCode = hub.admin('issue-code', '--clinic', created.stdout, '--force');
    await a.getByLabel('Hub address').fill(hub.url);
    await a.getByLabel('One-time code').fill(secondCode.stdout);
    await a.getByLabel('Name of this workstation').fill('Front desk');
    await a.getByRole('button', { name: 'Join the clinic' }).click();
    await expect(a.getByTestId('first-on-hub')).toBeVisible({ timeout: 20_000 });
    await finishClinicSetup(a);
    await expect(syncStatus(a)).toHaveAttribute('data-state', 'synced', { timeout: syncTimeout });
    await expect(syncStatus(a)).toContainText('Synced just now');

    await a.getByRole('link', { name: 'Register a patient' }).click();
    await a.getByLabel('Given names').fill(amina.given);
    await a.getByLabel('Family name').fill(amina.family);
    await a.getByRole('radio', { name: 'Female', exact: true }).check();
    await a.getByLabel('Date of birth', { exact: true }).fill('1990-04-12');
    await a.getByRole('button', { name: 'Save' }).click();
    await expect(a.getByRole('heading', { level: 1 })).toHaveText('DIALLO, Amina');

    // A makes the code for B: shown once, with its expiry.
    const code = await makeWorkstationCode(a);
    await expect(a.getByTestId('hub-details')).toContainText(hub.url);
    await expect(a.getByText('It is shown only this once')).toBeVisible();
    await shot(a, testInfo, 'add-workstation');

    // Workstation B: a code that is not one is refused before the hub is asked; the real one brings the clinic.
    await b.goto(hostB.url);
    await joinHub(b, { url: hub.url, code: 'ABC-123', workstationName: 'Consulting room' });
    await expect(b.getByText('That is not a one-time code')).toBeVisible();
    await shot(b, testInfo, 'join-form');
    await b.getByLabel('One-time code').fill(code.toLowerCase());
    await b.getByRole('button', { name: 'Join the clinic' }).click();
    await expect(b.getByRole('heading', { name: `${clinicName}: locked` })).toBeVisible({ timeout: 20_000 });
    // Staff accounts arrive by sync; the admin of A logs in on B with the same passphrase.
    await expect(syncStatus(b)).toHaveAttribute('data-state', 'synced', { timeout: syncTimeout });
    await expect(b.getByTestId('hub-arrival')).toHaveCount(0);
    await logIn(b, admin.username, admin.passphrase);
    await openPatient(b, 'Amnia Dialo');
    await expect(b.getByRole('heading', { level: 1 })).toHaveText('DIALLO, Amina');

    // The hub goes down; each workstation says so, and edits the same name its own way.
    await hub.kill();
    await expect(syncStatus(a)).toHaveAttribute('data-state', 'offline', { timeout: syncTimeout });
    await expect(syncStatus(b)).toHaveAttribute('data-state', 'offline', { timeout: syncTimeout });
    await changeFamilyName(a, 'Diallo-Traoré');
    await changeFamilyName(b, 'Dialo');
    await expect(syncStatus(a)).toContainText(/Offline — \d+ changes? waiting to sync/);
    await shot(a.locator('.frame-header'), testInfo, 'status-offline');

    // Back up: both sync, and the name both changed becomes a conflict to review.
    await hub.restart();
    await expect(syncStatus(a)).toHaveAttribute('data-state', 'synced', { timeout: syncTimeout });
    await expect(syncStatus(b)).toHaveAttribute('data-state', 'synced', { timeout: syncTimeout });
    await shot(a.locator('.frame-header'), testInfo, 'status-synced');

    await expect(a.getByRole('link', { name: 'Conflicts (1)' })).toBeVisible({ timeout: syncTimeout });
    await a.getByRole('link', { name: 'Conflicts (1)' }).click();
    const card = a.getByTestId('conflict-list').getByRole('article');
    await expect(card).toHaveCount(1);
    await expect(card).toContainText('Family name was changed on two workstations');
    await expect(card.getByRole('heading', { level: 2 })).toContainText(', Amina');
    await expect(card.getByTestId('conflict-kept')).toContainText(/Dialo|Diallo-Traoré/);
    await expect(card.getByTestId('conflict-other')).toContainText(/Dialo|Diallo-Traoré/);
    // Each value with who entered it, where (the other workstation by the name it was enrolled with) and when; both choices offered alike.
    await expect(card).toContainText('Entered by Asha Mbeki on this workstation');
    await expect(card).toContainText('Entered by Asha Mbeki on Consulting room');
    await expect(card.getByRole('button', { name: /^Keep/ })).toHaveClass('secondary');
    await expect(card.getByRole('button', { name: /^Use/ })).toHaveClass('secondary');
    await shot(a, testInfo, 'conflicts');

    // A chooses A's spelling, whichever side the merge kept.
    await card.getByRole('button', { name: 'Diallo-Traoré' }).click();
    await expect(a.getByTestId('no-conflicts')).toBeVisible();
    await expect(a.getByRole('link', { name: /^Conflicts/ })).toHaveCount(0);

    // B follows: the chosen name on the open chart, and nothing left to review.
    await b.getByRole('link', { name: 'Patients', exact: true }).click();
    await openPatient(b, amina.given);
    await expect(b.getByRole('heading', { level: 1 })).toHaveText('DIALLO-TRAORÉ, Amina', { timeout: syncTimeout });
    await expect(b.getByTestId('conflict-banner')).toHaveCount(0);
    await expect(b.getByRole('link', { name: /^Conflicts/ })).toHaveCount(0);
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
    await Promise.all(hosts.map((host) => stopHost(host)));
    await hub.stop();
  }
});

test('a clinic that started offline is connected to a hub from Settings with its own id, and starts syncing', async ({ page }, testInfo) => {
  await mkdir(artifacts, { recursive: true });
  const hub = await startHubProcess();
  const host = await startHost();
  try {
    await setUpClinic(page, host.url);
    await expect(syncStatus(page)).toHaveAttribute('data-state', 'not-linked');
    await page.getByRole('link', { name: 'Settings' }).click();
    const clinicId = (await page.getByTestId('clinic-id').textContent()) ?? '';
    expect(clinicId).toMatch(/^clinic-[0-9a-f]{32}$/);

    // The hub's administrator adds the clinic under the id shown, and issues a code for it.
    const created = hub.admin('create-clinic', '--name', clinicName, '--id', clinicId);
    expect(created.status, created.stderr).toBe(0);
    const code = hub.admin('issue-code', '--clinic', clinicId);
    expect(code.status, code.stderr).toBe(0);

    await page.getByLabel('Hub address').fill(hub.url);
    await page.getByLabel('One-time code').fill(code.stdout);
    await page.getByLabel('Name of this workstation').fill('Front desk');
    await page.getByRole('button', { name: 'Connect to the hub' }).click();
    await expect(page.getByTestId('hub-details')).toContainText(hub.url, { timeout: 20_000 });
    await expect(syncStatus(page)).toHaveAttribute('data-state', 'synced', { timeout: syncTimeout });
    await expect(page.getByRole('button', { name: 'Make a code' })).toBeVisible();
    await shot(page, testInfo, 'connected');
  } finally {
    await stopHost(host);
    await hub.stop();
  }
});
