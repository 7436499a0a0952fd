import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnonymizerConfigError, readAnonymizerConfig } from '../../app/deid/anonymizer-config';
import { deidentifyResource, hmacKey } from '../../app/deid/deid-engine';
import { DeidRun } from '../../app/deid/deid-run';
import { scrubText } from '../../app/deid/free-text';
import { findLeaks } from './phi-checker';

/**
 * Malformed input full of PHI into every entry point of the
 * de-identification: whatever it answers, throws or prints must hold none
 * of it. Microsoft's anonymizer printed a record in an error (its #151).
 */

const phi = ['Amélie Ngoné', 'Ngoné', 'Kalolwe', '+255 712 345 678', '0712345678', 'amelie@mailbox.example', 'MRN-19870314-0042', '1987-03-14', 'Usa River'];

const malformed: unknown[] = [
  { resourceType: 'Patient', id: 'Amélie Ngoné 0712345678', name: 'Amélie Ngoné', birthDate: 'born 1987-03-14 to Kalolwe', telecom: '+255 712 345 678', address: 'Usa River', identifier: { value: 'MRN-19870314-0042' } },
  { resourceType: 'Patient', id: 'p', name: [{ family: ['Ngoné'], given: 'Amélie' }], birthDate: 19870314, _birthDate: 'Kalolwe', extension: { url: 'x', valueString: 'Kalolwe' } },
  { resourceType: 'Observation', subject: 'Patient/Amélie Ngoné', effectiveDateTime: { at: '1987-03-14' }, valueQuantity: 'ninety seven, Amélie', note: { text: 'call amelie@mailbox.example' } },
  { resourceType: 'Observation', subject: { reference: { id: 'Ngoné' }, display: ['Amélie Ngoné'] }, code: 'MRN-19870314-0042', effectivePeriod: 'Usa River' },
  { resourceType: 'Amélie Ngoné', id: 'MRN-19870314-0042', text: { div: '<p title="Kalolwe">Amélie</p' } },
  { resourceType: 'Bundle', type: 'Kalolwe', entry: 'Amélie Ngoné +255 712 345 678' },
  { resourceType: 'Bundle', entry: [null, 'Ngoné', { fullUrl: 42, resource: 'Amélie' }, { fullUrl: 'urn:uuid:Amélie Ngoné', resource: { resourceType: 'Patient', name: [{ text: 'Amélie Ngoné' }] }, request: { method: 'Kalolwe', url: 'Patient?name=Amélie%20Ngoné' }, search: { mode: 'Usa River' } }, { request: null }] },
  { resourceType: 'DocumentReference', content: [{ attachment: { contentType: 'text/plain', data: 'not base64: Amélie Ngoné' } }, { attachment: { contentType: 'text/plain', data: btoa('\xff\xfe Kalolwe') } }] },
  { resourceType: 'Patient', contained: [{ resourceType: 'Patient', contained: [{ resourceType: 'Patient', name: [{ family: 'Kalolwe' }] }] }], text: 'Amélie Ngoné' },
];

describe('no PHI in what the de-identification says, throws or prints', () => {
  const printed: string[] = [];
  beforeEach(() => {
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    expect(findLeaks(printed, phi)).toEqual([]);
    printed.length = 0;
  });

  const keys = async () => ({ hash: await hmacKey('k'), dateShift: await hmacKey('s') });

  it('a run over malformed records: every output and every error free of PHI', async () => {
    for (const profile of ['safe-harbor', 'odh'] as const) {
      const run = new DeidRun({ profile, keys: await keys(), linkable: false, k: 2 });
      const outcomes: unknown[] = [];
      for (const input of malformed) {
        try {
          const record = input as Record<string, unknown>;
          if (record['resourceType'] === 'Bundle') run.learnBundle(record);
          else run.learn(record);
        } catch (error) {
          outcomes.push(String(error), (error as Error).stack);
        }
      }
      for (const input of malformed) {
        try {
          const record = input as Record<string, unknown>;
          outcomes.push(record['resourceType'] === 'Bundle' ? await run.bundle(record) : await run.resource(record));
        } catch (error) {
          outcomes.push(String(error), (error as Error).stack);
        }
      }
      outcomes.push(run.report());
      expect(findLeaks(outcomes, phi), profile).toEqual([]);
    }
  });

  it('a rule whose FHIRPath fails on a record says which rule, not what the record held', async () => {
    const config = readAnonymizerConfig({ fhirPathRules: [{ path: "Patient.name.given.first().toInteger() + 'x'.toInteger().combine(Patient.name.given.substring('Amélie'))", method: 'redact' }] });
    const error = await deidentifyResource({ resourceType: 'Patient', name: [{ given: ['Amélie Ngoné'] }] }, config, await keys()).catch((caught: unknown) => caught);
    if (error instanceof Error) {
      expect(error.message).toMatch(/^fhirPathRules\[0\] \(redact\) could not be applied/);
      expect(findLeaks([error.message, error.stack], phi)).toEqual([]);
    }
  });

  it('a configuration holding keys and PHI-like text is refused without quoting it', () => {
    for (const bad of [{ fhirPathRules: [{ path: 'Patient.name', method: 'mask', replaceWith: 'Amélie Ngoné' }] }, { fhirPathRules: 'Kalolwe', parameters: { cryptoHashKey: 'MRN-19870314-0042' } }, { fhirPathRules: [], parameters: { dateShiftKey: 19870314, restrictedZipCodeTabulationAreas: ['Usa River'] } }]) {
      const error = (() => {
        try {
          readAnonymizerConfig(bad);
          return undefined;
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(AnonymizerConfigError);
      expect(findLeaks([(error as Error).message, (error as Error).stack], phi)).toEqual([]);
    }
  });

  it('free text of any shape', () => {
    expect(findLeaks([scrubText('Amélie Ngoné, +255 712 345 678, amelie@mailbox.example, MRN-19870314-0042, born 1987-03-14', { known: ['Amélie', 'Ngoné', 'MRN-19870314-0042'] })], phi)).toEqual([]);
  });
});
