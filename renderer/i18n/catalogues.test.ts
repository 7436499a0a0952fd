import { facilityOverrideFieldKeys } from '../../app/facilities/facility-override';
import { referralFieldKeys, referralStatusFieldKeys } from '../../app/referrals/referral';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../app/contract/errors';
import { auditKindNames } from '../../app/audit/audit-event';
import { news2MessageKeyList } from '../../app/clinical/news2';
import type { EnrollmentCodeError } from '../../app/enrollment/enrollment-code';
import { acvpuLabelKeys } from '../../app/observations/observation';
import { observationValidationKeyList } from '../../app/observations/validation-keys';
import { patientValidationKeys } from '../../app/patients/validation-keys';
import { importProblemKeys } from '../../app/fhir/import/import-problems';
import { clinicSettingsFieldKeys } from '../store/clinic-settings';
import { storeErrorCodes } from '../store/store-error';
import en from './en.json';
import fr from './fr.json';

type Catalogue = { [key: string]: string | Catalogue };

function leaves(catalogue: Catalogue, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

/** A record over the union, so a new enrollment error code without words fails to compile here. */
const enrollmentErrorCodes: Record<EnrollmentCodeError['code'], true> = { not_a_code: true, old_code: true, wrong_code: true, malformed_wrap: true };

const placeholders = (text: string) => [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();

describe('translation catalogues', () => {
  const english = leaves(en);
  const french = leaves(fr);

  it('French has every English string and no stray ones', () => {
    expect([...french.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('each translation keeps the placeholders of the English text', () => {
    for (const [key, text] of english) expect(placeholders(french.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  it('no French string is left empty or in English by copy', () => {
    // Words French spells as English does.
    const sameOnPurpose = new Set(['facilities.capabilities.note', 'capture.manual.spo2', 'vitals.kinds.spo2', 'nav.patients', 'patients.title', 'patients.fields.village', 'status.lock.unlocked', 'audit.patient', 'settings.info.node', 'settings.info.chrome', 'languages.en', 'languages.fr', 'settings.uptimeMinutes_one', 'settings.uptimeMinutes_other', 'import.preview.patients', 'import.skipped.type_one', 'import.skipped.type_other', 'import.place.file', 'hl7Endpoint.port', 'nav.odh', 'odh.title', 'referrals.urgency.urgent', 'referrals.transport.ambulance']);
    for (const [key, text] of french) {
      expect(text.trim(), key).not.toBe('');
      if (!sameOnPurpose.has(key)) expect(text, key).not.toBe(english.get(key));
    }
  });

  it('every contract error code has plain words in both languages', () => {
    for (const code of errorCodes) {
      expect(english.has(`errors.${code}`), code).toBe(true);
      expect(french.has(`errors.${code}`), code).toBe(true);
    }
  });

  it('every message key the clinical core and the store can produce has plain words in both languages', () => {
    const keys = [
      ...Object.values(patientValidationKeys),
      ...storeErrorCodes.map((code) => `store.errors.${code}`),
      ...auditKindNames.map((kind) => `audit.kinds.${kind}`),
      ...observationValidationKeyList,
      ...news2MessageKeyList,
      ...Object.values(acvpuLabelKeys),
      ...Object.values(clinicSettingsFieldKeys),
      ...Object.values(importProblemKeys),
      ...Object.values(facilityOverrideFieldKeys),
      ...Object.values(referralFieldKeys),
      ...Object.values(referralStatusFieldKeys),
      // The store's key for a typed code that cannot be a code, and the enrollment errors errorText shows.
      'sync.errors.notACode',
      ...Object.keys(enrollmentErrorCodes).map((code) => `sync.errors.${code}`),
    ];
    for (const key of keys) {
      expect(english.has(key), key).toBe(true);
      expect(french.has(key), key).toBe(true);
    }
  });
});
