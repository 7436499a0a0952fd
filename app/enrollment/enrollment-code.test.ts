import { describe, expect, it } from 'vitest';
import { generateDataKey } from '../crypto/keys';
import {
  codeCommitment,
  commitmentPattern,
  composeEnrollmentCode,
  EnrollmentCodeError,
  enrollmentProof,
  enrollmentProofSchema,
  generateCodeSecret,
  generateHubPart,
  normalizeEnrollmentCode,
  splitEnrollmentCode,
  unwrapDataKeyFromEnrollment,
  wrapDataKeyForEnrollment,
} from './enrollment-code';

const raw = async (key: CryptoKey) => new Uint8Array(await crypto.subtle.exportKey('raw', key));
const symbol = /[0-9A-HJKMNP-TV-Z]/.source;

describe('enrollment codes', () => {
  it('are the workstation’s 20 secret symbols and the hub’s 10, in six groups of five, and differ every time', () => {
    const secrets = Array.from({ length: 200 }, generateCodeSecret);
    const hubParts = Array.from({ length: 200 }, generateHubPart);
    for (const secret of secrets) expect(secret).toMatch(new RegExp(`^${symbol}{20}$`));
    for (const part of hubParts) expect(part).toMatch(new RegExp(`^${symbol}{10}$`));
    expect(new Set(secrets).size).toBe(secrets.length);
    expect(new Set(hubParts).size).toBe(hubParts.length);
    const code = composeEnrollmentCode(secrets[0]!, hubParts[0]!);
    expect(code).toMatch(new RegExp(`^${symbol}{5}(-${symbol}{5}){5}$`));
    expect(code.replace(/-/g, '')).toBe(secrets[0]! + hubParts[0]!);
    expect(splitEnrollmentCode(code)).toEqual({ secretPart: secrets[0], hubPart: hubParts[0] });
    expect(() => composeEnrollmentCode(secrets[0]!, 'short')).toThrow();
  });

  it('forgive case, spacing and the look-alike letters when typed', () => {
    expect(normalizeEnrollmentCode('a0b1c-d2e3f-g4h5j-k6m7n-p8q9r-stvwx')).toBe('A0B1CD2E3FG4H5JK6M7NP8Q9RSTVWX');
    expect(normalizeEnrollmentCode(' aob1c d2e3f g4h5j k6m7n p8q9r stvwx ')).toBe('A0B1CD2E3FG4H5JK6M7NP8Q9RSTVWX');
    expect(normalizeEnrollmentCode('AlBIC-D2E3F-G4H5J-K6M7N-P8Q9R-STVWX')).toBe('A1B1CD2E3FG4H5JK6M7NP8Q9RSTVWX');
    expect(normalizeEnrollmentCode('AUB1C-D2E3F-G4H5J-K6M7N-P8Q9R-STVWX')).toBeUndefined();
    expect(normalizeEnrollmentCode('A0B1C-D2E3F-G4H5J-K6M7N-P8Q9R')).toBeUndefined();
  });

  it('say in plain words when what was typed is not a code, or a code of the older, shorter kind', () => {
    expect(() => splitEnrollmentCode('ABC-123')).toThrow(expect.objectContaining({ code: 'not_a_code' }));
    expect(() => splitEnrollmentCode('ABC-123')).toThrow(/30 letters and digits/);
    expect(() => splitEnrollmentCode('A0B1C-D2E3F-G4H5J-K6M7N')).toThrow(expect.objectContaining({ code: 'old_code' }));
    expect(() => splitEnrollmentCode('A0B1C-D2E3F-G4H5J-K6M7N')).toThrow(/older, shorter kind .* ask for a new code/);
  });

  it('become a proof that is the same for every way of typing the code, carries the hub’s part as is and never the secret part', async () => {
    const secretPart = generateCodeSecret();
    const hubPart = generateHubPart();
    const code = composeEnrollmentCode(secretPart, hubPart);
    const proof = await enrollmentProof(code);
    expect(enrollmentProofSchema.parse(proof)).toEqual({ commitment: await codeCommitment(secretPart), hubPart });
    expect(proof.commitment).toMatch(commitmentPattern);
    expect(JSON.stringify(proof)).not.toContain(secretPart);
    expect(await enrollmentProof(code.toLowerCase().replace(/-/g, ' '))).toEqual(proof);
    expect((await enrollmentProof(composeEnrollmentCode(generateCodeSecret(), hubPart))).commitment).not.toBe(proof.commitment);
    await expect(enrollmentProof('not a code')).rejects.toBeInstanceOf(EnrollmentCodeError);
  });

  it('carry the data key under the secret part alone: the hub’s part and the commitment, all the hub sees, do not open it', async () => {
    const dataKey = await generateDataKey();
    const secretPart = generateCodeSecret();
    const wrapped = await wrapDataKeyForEnrollment(dataKey, secretPart);
    expect(wrapped).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    const hubPart = generateHubPart();
    const code = composeEnrollmentCode(secretPart, hubPart);
    expect(await raw(await unwrapDataKeyFromEnrollment(wrapped, code.toLowerCase()))).toEqual(await raw(dataKey));
    await expect(unwrapDataKeyFromEnrollment(wrapped, composeEnrollmentCode(generateCodeSecret(), hubPart))).rejects.toMatchObject({ code: 'wrong_code' });
    await expect(unwrapDataKeyFromEnrollment('v2.a.b.c', code)).rejects.toMatchObject({ code: 'malformed_wrap' });
    // What the hub is sent (commitment, hub part) is neither in the wrap nor a key to it.
    const commitment = await codeCommitment(secretPart);
    expect(wrapped).not.toContain(commitment);
    expect(wrapped).not.toContain(secretPart);
    await expect(wrapDataKeyForEnrollment(dataKey, commitment)).rejects.toThrow();
  });
});
