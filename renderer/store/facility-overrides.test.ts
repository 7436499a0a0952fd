import { afterEach, describe, expect, it } from 'vitest';
import { directoryEntrySchema, entryFromOsm } from '../../app/facilities/directory-entry';
import { capabilitiesNow, effectiveCapabilities } from '../../app/facilities/facility-override';
import { adminVault, closeTestStores } from './test-support';

afterEach(closeTestStores);

const confirmedAt = '2026-11-01T08:00:00.000Z';
const hospital = directoryEntrySchema.parse({
  ...entryFromOsm({ id: 'node/42', kind: 'hospital', name: 'District Hospital', lat: -13.9, lon: 33.7, capabilities: ['surgery'], confirmedAt, confirmedBy: 'OpenStreetMap user m' }, confirmedAt),
  hlc: '001790000000000-00000-hub',
});
hospital.capabilities.oxygen = { available: true, confirmedAt, confirmedBy: 'Hub operator' };

async function setup() {
  const { db, vault, userId } = await adminVault();
  // As the hub's directory arrives by replication.
  await db.facilities.insert(hospital);
  return { db, vault, userId };
}

describe('what the clinic knows of a directory facility (store)', () => {
  it('records a statement sealed, and the clinic goes by it over an older confirmation, showing both', async () => {
    const { vault, db, userId } = await setup();
    expect(capabilitiesNow(hospital, [])).toEqual(['surgery', 'oxygen']);
    const said = await vault.facilities.override({ facilityId: hospital.id, capability: 'oxygen', available: false, note: 'Concentrator broken this week' });
    expect(said).toMatchObject({ facilityId: hospital.id, capability: 'oxygen', available: false, recordedBy: userId });
    const { overrides, unreadable } = await vault.facilities.overrides();
    expect([overrides.length, unreadable]).toEqual([1, 0]);
    expect(capabilitiesNow(hospital, overrides)).toEqual(['surgery']);
    expect(effectiveCapabilities(hospital, overrides).oxygen).toMatchObject({ available: false, by: 'clinic', note: 'Concentrator broken this week', directory: { available: true, confirmedBy: 'Hub operator' } });
    const stored = JSON.stringify((await db.records.find({ selector: { type: 'facilityOverride' } }).exec()).map((doc) => doc.toJSON()));
    expect(stored).not.toMatch(/Concentrator|oxygen/);
    // A newer confirmation in the directory wins again.
    const later = { ...hospital, capabilities: { ...hospital.capabilities, oxygen: { available: true, confirmedAt: '2099-01-01T00:00:00.000Z', confirmedBy: 'Hub operator' } } };
    expect(capabilitiesNow(later, overrides)).toEqual(['surgery', 'oxygen']);
  });

  it('refuses a statement about no facility, or one off its form, naming the field', async () => {
    const { vault } = await setup();
    await expect(vault.facilities.override({ facilityId: 'fac-osm-node-999', capability: 'oxygen', available: false })).rejects.toMatchObject({ code: 'not_found' });
    await expect(vault.facilities.override({ facilityId: hospital.id, capability: 'teleportation', available: false })).rejects.toMatchObject({ code: 'invalid', fields: { capability: 'facilityOverride.errors.capability' } });
    expect((await vault.facilities.overrides()).overrides).toEqual([]);
  });
});
