import type { Consent as FhirConsent, Organization, Reference } from '@medplum/fhirtypes';
import type { Consent } from '../consents/consent';
import { requireFhirId } from './ids';
import { ACT_REASON, CONSENT_ID, CONSENT_SCOPE, EXTENSION, LOINC } from './systems';

/**
 * A patient's research-use decision (app/consents/consent.ts) as FHIR R4's
 * Consent: scope research, the ODH research policy, the day the patient
 * decided, and a provision permitting healthcare research, or denying it
 * when they declined. A withdrawn consent is `inactive`: it no longer
 * permits anything. Each decision is its own Consent, so the history travels
 * as it is on the chart; who recorded it and when, in an extension (R4's
 * Consent has no recorder).
 */
export function toFhirConsent(consent: Consent, context: { patientFhirId: string; organization?: Reference<Organization> | undefined }): FhirConsent {
  return {
    resourceType: 'Consent',
    id: requireFhirId(consent.id, 'consent id'),
    extension: [
      {
        url: EXTENSION.consentRecorded,
        extension: [
          { url: 'by', valueReference: { reference: `Practitioner/${requireFhirId(consent.recordedBy, 'recorded-by id')}` } },
          { url: 'at', valueDateTime: consent.recordedAt },
        ],
      },
    ],
    identifier: [{ system: CONSENT_ID, value: consent.id }],
    status: consent.status === 'withdrawn' ? 'inactive' : 'active',
    scope: { coding: [{ system: CONSENT_SCOPE, code: 'research', display: 'Research' }] },
    category: [{ coding: [{ system: LOINC, code: '59284-0', display: 'Patient Consent' }] }],
    patient: { reference: `Patient/${context.patientFhirId}` },
    dateTime: consent.date,
    performer: [{ reference: `Patient/${context.patientFhirId}` }],
    ...(context.organization ? { organization: [context.organization] } : {}),
    policy: [{ uri: consent.policy }],
    provision: {
      type: consent.status === 'declined' ? 'deny' : 'permit',
      purpose: [{ system: ACT_REASON, code: 'HRESCH', display: 'healthcare research' }],
    },
  };
}
