import { beforeAll, describe, expect, it } from 'vitest';
import { referralDestination } from '../../app/fhir/export/referral-resources';
import { toFhirServiceRequest } from '../../app/fhir/service-request';
import { currentStatus, referralAdvised, referralSchema, type ReferralStatus } from '../../app/referrals/referral';
import { fhirErrors, loadFhirValidators } from '../fhir/validators';

// A referral as the receiving facility gets it: FHIR R4's ServiceRequest, checked by both validators.

const referral = referralSchema.parse({
  id: 'ref-1',
  patientId: 'pat-1',
  facilityId: 'fac-osm-way-194554955',
  facilityName: 'Hospital de Meritxell',
  facilityPosition: [42.51, 1.53],
  capability: 'cemonc',
  reason: 'Postpartum haemorrhage, not controlled after oxytocin.',
  urgency: 'emergency',
  transport: 'ambulance',
  route: { distanceM: 2150, durationS: 143, season: 'rainy' },
  news2: { total: 8, risk: 'high', anySingleThree: true, complete: true },
  vitals: [
    { code: '8867-4', label: 'Pulse', value: 128, unit: '/min', effectiveAt: '2026-12-06T10:00:00Z', readingId: 'obs-9' },
    { code: '41653-7', label: 'Glucose', value: 600, comparator: '>', unit: 'mg/dL', effectiveAt: '2026-12-06T10:01:00Z', readingId: 'obs-10' },
    { code: '67775-7', label: 'Level of responsiveness', value: 'V', unit: '', effectiveAt: '2026-12-06T10:02:00Z' },
  ],
  createdAt: '2026-12-06T10:05:00Z',
  createdBy: 'usr-1',
});

describe('a referral in FHIR R4', () => {
  beforeAll(() => loadFhirValidators(), 60_000);

  it('is a valid ServiceRequest with its urgency, destination, reason, NEWS2 and readings', () => {
    const request = toFhirServiceRequest(referral, { patientFhirId: 'pat-1', requester: { reference: 'Practitioner/usr-1' }, destination: { reference: 'Location/fac-osm-way-194554955' }, status: 'accepted', readings: new Map([['obs-9', { reference: 'Observation/obs-9' }]]) });
    expect(fhirErrors(request)).toEqual([]);
    expect(request).toMatchObject({ status: 'active', intent: 'order', priority: 'stat', locationReference: [{ reference: 'Location/fac-osm-way-194554955' }], supportingInfo: [{ reference: 'Observation/obs-9' }], reasonCode: [{ text: referral.reason }] });
    expect(request.note?.map((note) => note.text)).toContain('NEWS2 8 (high risk, a single parameter scoring 3).');
    // A meter's HI stays "above its limit", never a measurement of 600; a level of consciousness is its letter.
    expect(request.note?.map((note) => note.text)).toEqual(expect.arrayContaining(['Glucose: >600 mg/dL at 2026-12-06T10:01:00Z.', 'Level of responsiveness: V at 2026-12-06T10:02:00Z.']));
    // Its destination as the export writes it, from what the referral recorded of the facility.
    const destination = referralDestination(referral);
    expect(fhirErrors(destination)).toEqual([]);
    expect(destination).toMatchObject({ id: 'fac-osm-way-194554955', name: 'Hospital de Meritxell', position: { latitude: 42.51, longitude: 1.53 } });
    expect(toFhirServiceRequest(referral, { patientFhirId: 'pat-1', requester: { reference: 'Practitioner/usr-1' }, destination: { reference: 'Location/x' }, status: 'cancelled' }).status).toBe('revoked');
  });

  it('takes the latest status, the same on every workstation, and is offered when NEWS2 is high or one parameter scores 3', () => {
    const status = (id: string, value: ReferralStatus['status'], at: string): ReferralStatus => ({ id, referralId: 'ref-1', patientId: 'pat-1', status: value, recordedAt: at, recordedBy: 'usr-1' });
    expect(currentStatus(referral, [])).toBe('sent');
    expect(currentStatus(referral, [status('s2', 'arrived', '2026-12-06T11:00:00Z'), status('s1', 'accepted', '2026-12-06T10:30:00Z')])).toBe('arrived');
    expect(currentStatus(referral, [status('b', 'completed', '2026-12-06T12:00:00Z'), status('a', 'cancelled', '2026-12-06T12:00:00Z')])).toBe('completed');
    expect(referralAdvised({ risk: 'high', anySingleThree: false })).toBe(true);
    expect(referralAdvised({ risk: 'low', anySingleThree: true })).toBe(true);
    expect(referralAdvised({ risk: 'medium', anySingleThree: false })).toBe(false);
    expect(referralAdvised(null)).toBe(false);
  });
});
