import { fromBase64, randomBytes, toBase64, utf8 } from '../crypto/bytes';
import { crockfordAlphabet, readCrockford } from '../crypto/crockford';

/**
 * One-time enrollment codes, and the two things a code is turned into.
 *
 * A code does two jobs: it lets a new workstation ask the hub for credentials,
 * and it unwraps the clinic data key (DK) that the issuing admin workstation
 * wrapped under it. If the hub ever saw the code it could unwrap DK and read
 * every sealed record, so the code never leaves the workstations:
 *
 *   proof      = SHA-256("clinic-hub enrollment proof v1" 0x00 code)  → sent to the hub
 *   wrap key   = HKDF-SHA256(code, random salt, "clinic-workstation enrollment wrap v1")
 *
 * The hub stores SHA-256(proof) and compares proofs, so neither the hub nor a
 * stolen copy of its registry can enroll (that needs the proof, a preimage of
 * what is stored) or unwrap DK (that needs the code, a preimage of the proof).
 * A code is 100 random bits: too many to guess online under the hub's rate
 * limit and expiry, and too many to search offline, so fast hashes are enough.
 *
 * WebCrypto only, so the hub and the browser-side client share it.
 */

const codeLength = 20; // 20 × 5 bits = 100 bits
const groupLength = 5;
const proofContext = 'clinic-hub enrollment proof v1\u0000';
const wrapInfo = 'clinic-workstation enrollment wrap v1';

/** A fresh code such as `7K3MQ-9QXAB-…` (four groups of five). */
export function generateEnrollmentCode(): string {
  // 256 is a multiple of 32, so masking a random byte keeps every symbol equally likely.
  const symbols = [...randomBytes(codeLength)].map((byte) => crockfordAlphabet[byte & 31]).join('');
  return formatEnrollmentCode(symbols);
}

function formatEnrollmentCode(normalized: string): string {
  return normalized.match(new RegExp(`.{1,${groupLength}}`, 'g'))!.join('-');
}

/**
 * The canonical form of what a person typed (case, spaces and dashes ignored;
 * O read as 0, I and L as 1), or undefined when it cannot be a code.
 */
export function normalizeEnrollmentCode(text: string): string | undefined {
  const symbols = readCrockford(text);
  return symbols?.length === codeLength ? symbols : undefined;
}

/** base64url without padding: what the hub accepts as a proof (43 characters for 32 bytes). */
export const proofPattern = /^[A-Za-z0-9_-]{43}$/;

function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export class EnrollmentCodeError extends Error {
  constructor(
    readonly code: 'not_a_code' | 'wrong_code' | 'malformed_wrap',
    message: string,
  ) {
    super(message);
    this.name = 'EnrollmentCodeError';
  }
}

const notACode = () => new EnrollmentCodeError('not_a_code', 'That is not an enrollment code: it has 20 letters and digits in groups of five.');

function normalizeOrThrow(code: string): string {
  const normalized = normalizeEnrollmentCode(code);
  if (normalized === undefined) throw notACode();
  return normalized;
}

/** What a workstation sends the hub in place of the code. */
export async function enrollmentProof(code: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', utf8(proofContext + normalizeOrThrow(code)));
  return toBase64Url(new Uint8Array(digest));
}

const dataKeyAlgorithm = { name: 'AES-GCM', length: 256 } as const;

async function codeKek(normalized: string, salt: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', utf8(normalized), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt, info: utf8(wrapInfo) }, material, dataKeyAlgorithm, false, ['wrapKey', 'unwrapKey']);
}

/**
 * DK wrapped under the code, as the opaque string the issuing workstation
 * deposits at the hub: `v1.<salt>.<iv>.<wrapped key>` (base64 parts).
 */
export async function wrapDataKeyForEnrollment(dataKey: CryptoKey, code: string): Promise<string> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const wrapped = await crypto.subtle.wrapKey('raw', dataKey, await codeKek(normalizeOrThrow(code), salt), { name: 'AES-GCM', iv });
  return ['v1', toBase64(salt), toBase64(iv), toBase64(new Uint8Array(wrapped))].join('.');
}

/** The inverse, on the new workstation; extractable so it can be wrapped for its staff. */
export async function unwrapDataKeyFromEnrollment(wrappedKey: string, code: string): Promise<CryptoKey> {
  const normalized = normalizeOrThrow(code);
  const parts = wrappedKey.split('.');
  let salt: Uint8Array<ArrayBuffer>;
  let iv: Uint8Array<ArrayBuffer>;
  let wrapped: Uint8Array<ArrayBuffer>;
  try {
    if (parts.length !== 4 || parts[0] !== 'v1') throw new Error('not v1');
    [salt, iv, wrapped] = [fromBase64(parts[1]!), fromBase64(parts[2]!), fromBase64(parts[3]!)];
  } catch {
    throw new EnrollmentCodeError('malformed_wrap', 'The clinic key received at enrollment is damaged.');
  }
  try {
    return await crypto.subtle.unwrapKey('raw', wrapped, await codeKek(normalized, salt), { name: 'AES-GCM', iv }, dataKeyAlgorithm, true, ['encrypt', 'decrypt']);
  } catch {
    // AES-GCM cannot tell a wrong code from a damaged wrap; a mistyped code is by far the likelier.
    throw new EnrollmentCodeError('wrong_code', 'That enrollment code does not open the clinic key it came with.');
  }
}
