import type { Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHubProcess } from '../sync/hub/test-support';
import { clinicName, finishClinicSetup, joinHub, setUpClinic } from './clinic-steps';
import { expect, startHost, stopHost, test, type RunningHost } from './host-fixture';

/**
 * The facility map in a real Chromium (WebGL through SwiftShader): a
 * workstation joined to a hub whose operator imported the Andorra extract's
 * roads and facilities (../shared/data/osm, © OpenStreetMap contributors,
 * ODbL) gets the road map from the hub, ranks the facilities from a chosen
 * town by road, and draws the route to the one chosen from the list with the
 * keyboard. The map is checked through maplibre's own API (what it drew),
 * and a screenshot is kept for a person to look at, never compared.
 */

const extract = fileURLToPath(new URL('../../shared/data/osm/andorra.osm.pbf', import.meta.url));
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));

/** What maplibre drew, asked of the map instance on its container. */
const drawn = (page: Page) =>
  page.getByTestId('facility-map').evaluate((element) => {
    const map = (element as HTMLDivElement & { maplibreMap?: { queryRenderedFeatures(o: { layers: string[] }): unknown[]; querySourceFeatures(s: string): unknown[]; loaded(): boolean } }).maplibreMap;
    if (!map) return undefined;
    const rendered = (layers: string[]) => map.queryRenderedFeatures({ layers }).length;
    return {
      roads: rendered(['roads-0', 'roads-1', 'roads-2', 'roads-3']),
      facilities: rendered(['facilities']),
      route: rendered(['route']),
      origin: rendered(['origin']),
      attribution: document.querySelector('.maplibregl-ctrl-attrib')?.textContent ?? '',
    };
  });

test('the map ranks facilities by road from a chosen town, draws the route chosen from the list, and follows what the clinic learnt of a facility', async ({ browser }, testInfo) => {
  test.setTimeout(150_000);
  await mkdir(artifacts, { recursive: true });
  const hub = await startHubProcess();
  const hosts: RunningHost[] = [];
  const context = await browser.newContext();
  try {
    expect(hub.admin('region-import', '--file', extract).status).toBe(0);
    expect(hub.admin('directory-import', '--file', extract).status).toBe(0);
    const clinic = hub.admin('create-clinic', '--name', clinicName).stdout;
    const host = await startHost();
    hosts.push(host);
    const page = await context.newPage();
    await page.goto(host.url);
    await joinHub(page, { url: hub.url, code: hub.admin('issue-code', '--clinic', clinic).stdout, workstationName: 'Front desk' });
    await expect(page.getByTestId('first-on-hub')).toBeVisible({ timeout: 20_000 });
    await finishClinicSetup(page);

    await page.getByRole('link', { name: 'Facilities' }).click();
    await expect(page.getByRole('heading', { name: 'Facilities and routes' })).toBeVisible();
    // Linked after the host started: the road map is fetched when asked.
    const getRoads = page.getByRole('button', { name: 'Get the road map from the hub' });
    if (await getRoads.isVisible()) await getRoads.click();
    const from = page.getByTestId('facilities-from');
    await expect(from.locator('option', { hasText: 'Andorra la Vella' })).toHaveCount(1, { timeout: 30_000 });
    await expect.poll(async () => (await drawn(page))?.roads ?? 0, { timeout: 30_000 }).toBeGreaterThan(100);
    expect((await drawn(page))?.attribution).toContain('© OpenStreetMap contributors');

    await from.selectOption({ label: 'Andorra la Vella' });
    const ranked = page.getByTestId('ranked-facility');
    await expect(ranked.first()).toBeVisible({ timeout: 20_000 });
    const list = page.getByRole('list', { name: 'Nearest by road' });
    await expect(list.getByTestId('ranked-facility')).not.toHaveCount(0);
    const times = await list.getByTestId('ranked-facility').locator('.ranked-figures').allTextContents();
    expect(times.every((text) => / by road, /.test(text))).toBe(true);

    // The keyboard's way: focus the first facility in the list and press Enter.
    await list.getByTestId('ranked-facility').first().focus();
    await page.keyboard.press('Enter');
    await expect(list.getByTestId('ranked-facility').first()).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('route-summary')).toContainText(/by road/);
    await expect.poll(async () => (await drawn(page))?.route ?? 0, { timeout: 20_000 }).toBeGreaterThan(0);
    const seen = await drawn(page);
    expect(seen?.facilities).toBeGreaterThan(0);
    expect(seen?.origin).toBe(1);

    // The rainy season makes nothing faster.
    const minutes = (text: string | null) => {
      const match = /(?:(\d+) h )?(\d+) min/.exec(text ?? '');
      return match ? Number(match[1] ?? 0) * 60 + Number(match[2]) : Number.NaN;
    };
    const dry = minutes(await page.getByTestId('route-summary').textContent());
    expect(dry).toBeGreaterThan(0);
    await page.getByRole('radio', { name: /Rainy season/ }).check();
    await expect.poll(async () => minutes(await page.getByTestId('route-summary').textContent()), { timeout: 20_000 }).toBeGreaterThanOrEqual(dry);
    // What the clinic learns (an administrator here): shown beside the directory's word, and followed.
    const capabilities = page.getByRole('region', { name: 'What it can do' });
    await capabilities.getByLabel('Capability').selectOption({ label: 'Oxygen' });
    await capabilities.getByRole('radio', { name: 'yes' }).check();
    await capabilities.getByLabel('Note').fill('Two cylinders left, call first');
    await capabilities.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('facility-capabilities').locator('[data-capability=oxygen]')).toContainText(/Oxygen: yes \(this clinic: .*Asha Mbeki\).*Two cylinders left, call first/);
    await page.getByTestId('facilities-capability').selectOption({ label: 'Oxygen' });
    await expect(list.getByTestId('ranked-facility')).toHaveCount(1);
    const path = join(artifacts, 'facilities-map.png');
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach('facilities-map', { path, contentType: 'image/png' });
  } finally {
    await context.close();
    for (const host of hosts) await stopHost(host);
    await hub.stop();
  }
});

test('an administrator adds a PMTiles map background from a file; the map draws its tiles as shaded relief, credited, and a wrong file is refused in plain words', async ({ page, host }, testInfo) => {
  test.setTimeout(120_000);
  const sample = fileURLToPath(new URL('../../shared/data/osm/near-badschandau-z10-11.pmtiles', import.meta.url));
  await setUpClinic(page, host.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Map background' });
  await expect(section).toContainText('No map background on this workstation');
  await section.getByLabel('Path of the .pmtiles file on this computer').fill(extract);
  await section.getByRole('button', { name: 'Add the map background' }).click();
  await expect(section.getByRole('alert')).toContainText('not a PMTiles archive');
  await section.getByLabel('Path of the .pmtiles file on this computer').fill(sample);
  await section.getByRole('radio', { name: /Elevation, drawn as shaded relief/ }).check();
  await section.getByRole('button', { name: 'Add the map background' }).click();
  await expect(section.getByTestId('map-background')).toHaveText('Elevation, drawn as shaded relief (Terrarium heights): WEBP tiles, zoom 10 to 11, 0.7 MB · © Mapterhorn');

  await page.getByRole('link', { name: 'Facilities' }).click();
  const map = page.getByTestId('facility-map');
  await expect.poll(() => map.evaluate((element) => Boolean((element as HTMLDivElement & { maplibreMap?: unknown }).maplibreMap))).toBe(true);
  // The sample lies around Bad Schandau, not in any region of ours: the test takes the map there.
  await map.evaluate((element) => (element as HTMLDivElement & { maplibreMap: { jumpTo(o: { center: [number, number]; zoom: number }): void } }).maplibreMap.jumpTo({ center: [14.2063, 50.9089], zoom: 10.5 }));
  await expect.poll(async () => Number((await map.getAttribute('data-background-tiles')) ?? 0), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(page.locator('.maplibregl-ctrl-attrib')).toContainText('© Mapterhorn');
  await expect(page.locator('.maplibregl-ctrl-attrib')).toContainText('© OpenStreetMap contributors');
  const path = join(artifacts, 'facilities-map-relief.png');
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach('facilities-map-relief', { path, contentType: 'image/png' });
});
