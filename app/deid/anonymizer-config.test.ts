import { describe, expect, it } from 'vitest';
import { AnonymizerConfigError, readAnonymizerConfig } from './anonymizer-config';
import { deidentifyResource, hmacKey } from './deid-engine';

/** Rules in the shape of Microsoft's FHIR anonymizer sample configuration. */
const microsoftStyle = {
  fhirVersion: 'R4',
  processingError: 'raise',
  fhirPathRules: [
    { path: 'nodesByType("Extension")', method: 'redact' },
    { path: 'Patient.address.state', method: 'keep' },
    { path: 'nodesByType("date")', method: 'dateShift' },
    { path: 'Resource.id', method: 'cryptoHash' },
    { path: 'nodesByType("Address")', method: 'encrypt' },
    { path: 'Patient.name', method: 'substitute', replaceWith: { family: 'Doe' } },
    { path: "(Observation.value as Quantity).value", method: 'perturb', span: 1, rangeType: 'proportional', roundTo: 1 },
    { path: 'Patient.birthDate', method: 'generalize', cases: { "$this < @1990-01-01": "@1990-01-01" }, otherValues: 'redact' },
  ],
  parameters: {
    dateShiftKey: 'secret-date-key',
    dateShiftScope: 'resource',
    cryptoHashKey: 'secret-hash-key',
    encryptKey: '0000000000000000',
    enablePartialAgesForRedact: true,
    enablePartialDatesForRedact: true,
    enablePartialZipCodesForRedact: true,
    restrictedZipCodeTabulationAreas: ['036', '059', '102'],
  },
};

describe('Microsoft’s nodesByType', () => {
  it('selects here what it selects in Microsoft’s tool: every element of the type, extensions included', async () => {
    const config = readAnonymizerConfig({
      fhirPathRules: [
        { path: "nodesByType('Extension')", method: 'redact' },
        { path: 'nodesByType("HumanName")', method: 'redact' },
        { path: "nodesByType('Address').country", method: 'keep' },
        { path: "nodesByType('Address')", method: 'redact' },
        { path: "nodesByType('Reference').reference", method: 'cryptoHash' },
      ],
    });
    expect(config.fhirPathRules[1]!.path).toBe('descendants().ofType(HumanName)');
    const patient = {
      resourceType: 'Patient',
      id: 'p1',
      extension: [{ url: 'urn:x:maiden', valueString: 'Kalolwe' }],
      name: [{ family: 'Banda', extension: [{ url: 'urn:x:note', valueString: 'Mimi' }] }],
      contact: [{ name: { family: 'Mushi' }, address: { city: 'Usa River', country: 'TZ' } }],
      generalPractitioner: [{ reference: 'Practitioner/pr-1' }],
    };
    const out = await deidentifyResource(patient, config, { hash: await hmacKey('h'), dateShift: await hmacKey('s') });
    expect(JSON.stringify(out)).not.toMatch(/Kalolwe|Mimi|Banda|Mushi|Usa River|pr-1/);
    expect(out).toMatchObject({ contact: [{ address: { country: 'TZ' } }] });
  });
});

function problems(config: unknown): string[] {
  try {
    readAnonymizerConfig(config);
  } catch (error) {
    if (error instanceof AnonymizerConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('a de-identification configuration in Microsoft’s format', () => {
  it('is read with every method and parameter, defaults filled in', () => {
    const config = readAnonymizerConfig(microsoftStyle);
    expect(config.fhirPathRules.map((rule) => rule.method)).toEqual(['redact', 'keep', 'dateShift', 'cryptoHash', 'encrypt', 'substitute', 'perturb', 'generalize']);
    expect(config.parameters.restrictedZipCodeTabulationAreas).toEqual(['036', '059', '102']);
    const minimal = readAnonymizerConfig({ fhirPathRules: [{ path: 'Observation.value', method: 'perturb', span: 2 }, { path: 'Patient.birthDate', method: 'generalize', cases: {} }] });
    expect(minimal.fhirPathRules).toEqual([
      { path: 'Observation.value', method: 'perturb', span: 2, rangeType: 'fixed', roundTo: 2 },
      { path: 'Patient.birthDate', method: 'generalize', cases: {}, otherValues: 'redact' },
    ]);
    expect(minimal.parameters).toEqual({});
  });

  it('refuses an unknown method, a setting the method does not take, and a missing span, naming the rule', () => {
    expect(problems({ fhirPathRules: [{ path: 'Patient.name', method: 'scramble' }] })).toEqual(['fhirPathRules[0].method is not one of the allowed values']);
    expect(problems({ fhirPathRules: [{ path: 'Patient.name', method: 'redact', span: 3 }] })).toEqual(['fhirPathRules[0] has a setting this method does not take (span)']);
    expect(problems({ fhirPathRules: [{ path: 'Observation.value', method: 'perturb' }] })).toEqual(['fhirPathRules[0].span is missing or of the wrong type']);
  });

  it('refuses processingError "keep": what the rules could not process must not leave as it came', () => {
    expect(problems({ processingError: 'keep', fhirPathRules: [] })[0]).toMatch(/processingError "keep"/);
  });

  it('never quotes a key in its problems', () => {
    const text = problems({ fhirPathRules: [], parameters: { cryptoHashKey: 12345678, encryptKey: 'sekrit-value-9', extra: 'sekrit-value-9' } }).join(' ');
    expect(text).toContain('parameters');
    expect(text).not.toMatch(/12345678|sekrit/);
  });
});
