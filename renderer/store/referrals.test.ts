import { afterEach, describe, expect, it } from 'vitest';
import { directoryEntrySchema, entryFromOsm } from '../../app/facilities/directory-entry';
import { currentStatus } from '../../app/referrals/referral';
import { adminVault, closeTestStores, spo2Draft } from './test-support';

afterEach(closeTestStores);

const confirmedAt = '2026-11-01T08:00:00.000Z';
const hospital = directoryEntrySchema.parse({
  ...entryFromOsm({ id: 'node/42', kind: 'hospital', name: 'District Hospital', lat: -13.9, lon: 33.7, capabilities: ['surgery', 'oxygen'], confirmedAt, confirmedBy: 'OpenStreetMap user m' }, confirmedAt),
  hlc: '001790000000000-00000-hub',
});

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function setup() {
  const { db, vault, userId } = await adminVault();
  await db.facilities.insert(hospital);
  const patient = await vault.patients.register({ givenNames: 'Amina', familyName: 'Diallo', sex: 'female', estimatedAgeYears: 30 });
  const device = { type: 'device', device: { driver: 'contour-next', manufacturer: 'Ascensia', model: 'Contour Next' }, raw: '48' } as const;
  await vault.observations.record([
    // A low saturation taken two days ago, outside the clinic's 24-hour NEWS2 window: never carried.
    { ...spo2Draft(patient.id, userId, 80, 'obs-old'), effectiveAt: minutesAgo(48 * 60), recordedAt: minutesAgo(48 * 60) },
    { ...spo2Draft(patient.id, userId, 91, 'obs-spo2'), effectiveAt: minutesAgo(20), recordedAt: minutesAgo(19) },
    { id: 'obs-rr', patientId: patient.id, kind: 'respiratoryRate', code: '9279-1', value: 26, unit: '/min', effectiveAt: minutesAgo(20), recordedAt: minutesAgo(19), recordedBy: userId, source: { type: 'manual' } },
    { id: 'obs-glu', patientId: patient.id, kind: 'glucoseMass', code: '41653-7', value: 600, comparator: '>', unit: 'mg/dL', effectiveAt: minutesAgo(15), recordedAt: minutesAgo(14), recordedBy: userId, source: device },
  ]);
  return { db, vault, patient, userId };
}

const request = { facilityId: hospital.id, capability: 'oxygen', reason: 'Low saturation, fast breathing', urgency: 'emergency', transport: 'ambulance', route: { distanceM: 12_400, durationS: 1_080, season: 'dry' } };

describe('referrals from the chart (store)', () => {
  it('makes a referral sealed, with the facility, the readings of the NEWS2 window and their score taken from the store', async () => {
    const { vault, db, patient, userId } = await setup();
    const referral = await vault.referrals.make(patient.id, request);
    expect(referral).toMatchObject({ patientId: patient.id, facilityName: 'District Hospital', facilityPosition: [-13.9, 33.7], urgency: 'emergency', createdBy: userId, route: request.route });
    // Respiration 26 scores 3, SpO2 91 (scale 1) 3, on air 0: at least 6, with a single 3, not every parameter measured.
    expect(referral.news2).toEqual({ total: 6, risk: 'medium', anySingleThree: true, complete: false });
    expect(referral.vitals.map((vital) => [vital.code, vital.value, vital.comparator])).toEqual([
      ['59408-5', 91, undefined],
      ['9279-1', 26, undefined],
      ['41653-7', 600, '>'],
    ]);
    const stored = JSON.stringify((await db.records.find({ selector: { type: 'referral' } }).exec()).map((doc) => doc.toJSON()));
    expect(stored).not.toMatch(/District|saturation|ambulance|oxygen/);
    expect(await vault.audit.list({ kinds: ['referral.create'] })).toHaveLength(1);
  });

  it('records each status as its own record, and the latest is the referral’s status on every workstation', async () => {
    const { vault, patient } = await setup();
    const referral = await vault.referrals.make(patient.id, request);
    expect(currentStatus(referral, [])).toBe('sent');
    await vault.referrals.recordStatus(referral.id, { status: 'accepted', note: 'Dr Banda on call' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await vault.referrals.recordStatus(referral.id, { status: 'arrived' });
    const { referrals, statuses, unreadable } = await vault.referrals.forPatient(patient.id);
    expect([referrals.length, unreadable]).toEqual([1, 0]);
    expect(statuses.map((status) => status.status)).toEqual(['accepted', 'arrived']);
    expect(currentStatus(referral, statuses)).toBe('arrived');
    expect(await vault.audit.list({ kinds: ['referral.status'] })).toHaveLength(2);
  });

  it('refuses a referral off its form, to a facility not in the directory, or a status it does not know, naming the field and storing nothing', async () => {
    const { vault, patient } = await setup();
    await expect(vault.referrals.make(patient.id, { ...request, reason: '   ', urgency: 'whenever' })).rejects.toMatchObject({ code: 'invalid', fields: { reason: 'referrals.errors.reason', urgency: 'referrals.errors.urgency' } });
    await expect(vault.referrals.make(patient.id, { ...request, facilityId: 'fac-osm-node-999' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(vault.referrals.make('pat-nobody', request)).rejects.toMatchObject({ code: 'not_found' });
    const referral = await vault.referrals.make(patient.id, request);
    await expect(vault.referrals.recordStatus(referral.id, { status: 'sent' })).rejects.toMatchObject({ code: 'invalid', fields: { status: 'referrals.errors.status' } });
    await expect(vault.referrals.recordStatus('ref-none', { status: 'accepted' })).rejects.toMatchObject({ code: 'not_found' });
    const { referrals, statuses } = await vault.referrals.forPatient(patient.id);
    expect([referrals.length, statuses.length]).toEqual([1, 0]);
  });

  it('counts a referral that does not open, and never shows it', async () => {
    const { vault, db, patient } = await setup();
    const referral = await vault.referrals.make(patient.id, request);
    const doc = await db.records.findOne(referral.id).exec();
    await doc!.incrementalPatch({ sealed: doc!.sealed.slice(0, -8) + 'AAAAAAAA' });
    expect(await vault.referrals.forPatient(patient.id)).toMatchObject({ referrals: [], unreadable: 1 });
  });
});
