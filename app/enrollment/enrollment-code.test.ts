import { describe, expect, it } from 'vitest';
import { generateDataKey } from '../crypto/keys';
import {
  EnrollmentCodeError,
  enrollmentProof,
  generateEnrollmentCode,
  normalizeEnrollmentCode,
  proofPattern,
  unwrapDataKeyFromEnrollment,
  wrapDataKeyForEnrollment,
} from './enrollment-code';

const raw = async (key: CryptoKey) => new Uint8Array(await crypto.subtle.exportKey('raw', key));

describe('enrollment codes', () => {
  it('are four groups of five Crockford base32 characters, and differ every time', () => {
    const codes = Array.from({ length: 200 }, generateEnrollmentCode);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('forgive case, spacing and the look-alike letters when typed', () => {
    expect(normalizeEnrollmentCode('a0b1c-d2e3f-g4h5j-k6m7n')).toBe('A0B1CD2E3FG4H5JK6M7N');
    expect(normalizeEnrollmentCode(' aob1c d2e3f g4h5j k6m7n ')).toBe('A0B1CD2E3FG4H5JK6M7N');
    expect(normalizeEnrollmentCode('AlBIC-D2E3F-G4H5J-K6M7N')).toBe('A1B1CD2E3FG4H5JK6M7N');
    expect(normalizeEnrollmentCode('AUB1C-D2E3F-G4H5J-K6M7N')).toBeUndefined();
    expect(normalizeEnrollmentCode('A0B1C-D2E3F-G4H5J')).toBeUndefined();
  });

  it('become a proof that is the same for every way of typing the code, and differs between codes', async () => {
    const code = generateEnrollmentCode();
    const proof = await enrollmentProof(code);
    expect(proof).toMatch(proofPattern);
    expect(await enrollmentProof(code.toLowerCase().replace(/-/g, ' '))).toBe(proof);
    expect(await enrollmentProof(generateEnrollmentCode())).not.toBe(proof);
    await expect(enrollmentProof('not a code')).rejects.toBeInstanceOf(EnrollmentCodeError);
  });

  it('carry the data key: wrapped under one code, it opens only with that code', async () => {
    const dataKey = await generateDataKey();
    const code = generateEnrollmentCode();
    const wrapped = await wrapDataKeyForEnrollment(dataKey, code);
    expect(wrapped).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    const opened = await unwrapDataKeyFromEnrollment(wrapped, code.toLowerCase());
    expect(await raw(opened)).toEqual(await raw(dataKey));
    await expect(unwrapDataKeyFromEnrollment(wrapped, generateEnrollmentCode())).rejects.toMatchObject({ code: 'wrong_code' });
    await expect(unwrapDataKeyFromEnrollment('v2.a.b.c', code)).rejects.toMatchObject({ code: 'malformed_wrap' });
    // Nothing the hub is sent (the proof) or keeps (its digest) appears in the wrap.
    expect(wrapped).not.toContain(await enrollmentProof(code));
  });
});
