import { describe, expect, it } from 'vitest';
import { odhResearchPolicy, type Consent } from '../consents/consent';
import { toFhirConsent } from './consent';

const decision = (status: Consent['status']): Consent => ({ id: 'cns-1', patientId: 'pat-1', status, policy: odhResearchPolicy, date: '2026-11-21', recordedAt: '2026-11-21T10:00:05Z', recordedBy: 'usr-1' });

describe('a research decision as FHIR Consent', () => {
  it('permits healthcare research when given, denies it when declined, and permits nothing once withdrawn', () => {
    const given = toFhirConsent(decision('active'), { patientFhirId: 'pat-1' });
    expect(given).toMatchObject({ status: 'active', scope: { coding: [{ code: 'research' }] }, patient: { reference: 'Patient/pat-1' }, dateTime: '2026-11-21', policy: [{ uri: odhResearchPolicy }], provision: { type: 'permit', purpose: [{ code: 'HRESCH' }] } });
    expect(toFhirConsent(decision('declined'), { patientFhirId: 'pat-1' })).toMatchObject({ status: 'active', provision: { type: 'deny' } });
    expect(toFhirConsent(decision('withdrawn'), { patientFhirId: 'pat-1' })).toMatchObject({ status: 'inactive' });
    expect(given.extension?.[0]?.extension).toEqual([
      { url: 'by', valueReference: { reference: 'Practitioner/usr-1' } },
      { url: 'at', valueDateTime: '2026-11-21T10:00:05Z' },
    ]);
  });
});
