import { readAnonymizerConfig, type AnonymizerConfig } from '../anonymizer-config';
import { restrictedZip3 } from '../partial-redact';

/**
 * HIPAA Safe Harbor (45 CFR 164.514(b)(2)) as anonymizer rules, in
 * Microsoft's configuration format so it can be read, copied and changed
 * like any other. The rules take out the 18 identifiers where FHIR keeps
 * them by type, wherever the type sits (extensions and contained resources
 * included); the free-text sweep that follows every profile
 * (`string-sweep.ts`) finds the same identifiers written in notes,
 * narratives, string values and text attachments.
 *
 * Dates: by default each is cut to its year (`redact` with partial dates),
 * and a year 90 or more years back goes whole; `dates: 'shift'` moves every
 * date of a patient by the same days instead, which keeps intervals but is
 * not Safe Harbor (the report says so).
 */

/** Dates cut to the year (Safe Harbor), to the month (the ODH profile, under k-anonymity), or shifted per patient. */
export type DateHandling = 'year' | 'month' | 'shift';

const dateTypes = ['date', 'dateTime', 'instant'] as const;

function dateRule(type: (typeof dateTypes)[number], dates: DateHandling): Record<string, unknown> {
  const path = `descendants().ofType(${type})`;
  if (dates === 'shift') return { path, method: 'dateShift' };
  if (dates === 'year') return { path, method: 'redact' };
  // The month: an instant must stay a full timestamp, so it becomes the first instant of its month.
  const month = type === 'instant' ? "$this.toString().substring(0, 7) + '-01T00:00:00Z'" : '$this.toString().substring(0, 7)';
  return { path, method: 'generalize', cases: { '$this.toString().length() >= 7': month }, otherValues: 'keep' };
}

/** The rules, as Microsoft's format writes them; `before` come first (a profile's own keeps and redactions). */
export function safeHarborRuleList(dates: DateHandling, before: readonly Record<string, unknown>[] = []): Record<string, unknown>[] {
  return [
    ...before,
    // Whole parts first, so nothing in them is kept by a later rule: a patient's contacts (relatives, employers).
    { path: 'Patient.contact', method: 'redact' },
    // Ids and references hashed alike (HMAC-SHA256), so the records of one patient still meet; what a reference shows goes.
    { path: 'Resource.id', method: 'cryptoHash' },
    { path: 'descendants().ofType(Reference).reference', method: 'cryptoHash' },
    // A reference that is only a display may be required (AuditEvent.source.observer): it says "someone" instead.
    { path: 'descendants().ofType(Reference).where(reference.empty()).display', method: 'substitute', replaceWith: '[redacted]' },
    { path: 'descendants().ofType(Reference).display', method: 'redact' },
    // Record, plan, account, licence, social security and any other numbers: every Identifier.
    { path: 'descendants().ofType(Identifier)', method: 'redact' },
    // Names of patients, relatives, staff; phone, fax, e-mail, web addresses.
    { path: 'descendants().ofType(HumanName)', method: 'redact' },
    { path: 'descendants().ofType(ContactPoint)', method: 'redact' },
    // Health plan numbers kept as strings rather than Identifiers, and a system's own address.
    { path: 'Coverage.subscriberId', method: 'redact' },
    { path: 'Coverage.dependent', method: 'redact' },
    { path: 'Endpoint.address', method: 'redact' },
    // Addresses: state and country stay, a US ZIP code as its first three digits (or 000), everything else goes.
    { path: 'descendants().ofType(Address).state', method: 'keep' },
    { path: 'descendants().ofType(Address).country', method: 'keep' },
    { path: 'descendants().ofType(Address).postalCode', method: 'redact' },
    { path: 'descendants().ofType(Address)', method: 'redact' },
    // Places and employers by name, and a place's coordinates.
    { path: 'Location.name', method: 'redact' },
    { path: 'Location.alias', method: 'redact' },
    { path: 'Location.position', method: 'redact' },
    { path: 'Organization.name', method: 'redact' },
    { path: 'Organization.alias', method: 'redact' },
    // Device serial numbers and UDIs.
    { path: 'Device.serialNumber', method: 'redact' },
    { path: 'Device.lotNumber', method: 'redact' },
    { path: 'Device.distinctIdentifier', method: 'redact' },
    { path: 'Device.udiCarrier', method: 'redact' },
    // Photos and any file's address; signatures.
    { path: 'descendants().ofType(Attachment).where(contentType.startsWith(\'image/\') or contentType.startsWith(\'video/\'))', method: 'redact' },
    { path: 'descendants().ofType(Attachment).url', method: 'redact' },
    { path: 'descendants().ofType(Signature)', method: 'redact' },
    { path: 'Resource.meta.source', method: 'redact' },
    // Text an extension holds (a mother's maiden name, a nickname) is a bare word no pattern can tell from a name: it goes.
    // (fhirpath.js's descendants() does not type extensions, so they are reached by name: the resource's own, then all others.)
    { path: '(Resource.extension | Resource.modifierExtension).value.ofType(string)', method: 'redact' },
    { path: 'descendants().extension.value.ofType(string)', method: 'redact' },
    { path: 'descendants().modifierExtension.value.ofType(string)', method: 'redact' },
    // Dates finer than the year, and ages over 89.
    ...dateTypes.map((type) => dateRule(type, dates)),
    { path: 'descendants().ofType(Age)', method: 'redact' },
  ];
}

export const safeHarborParameters = {
  enablePartialDatesForRedact: true,
  enablePartialAgesForRedact: true,
  enablePartialZipCodesForRedact: true,
  restrictedZipCodeTabulationAreas: [...restrictedZip3],
};

export function safeHarborRules(dates: DateHandling = 'year'): AnonymizerConfig {
  return readAnonymizerConfig({
    fhirVersion: 'R4',
    processingError: 'raise',
    fhirPathRules: safeHarborRuleList(dates),
    parameters: safeHarborParameters,
  });
}
