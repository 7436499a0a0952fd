import { z } from 'zod';
import { fromBase64, randomBytes, toBase64, utf8 } from '../crypto/bytes';
import { crockfordAlphabet, readCrockford } from '../crypto/crockford';

/**
 * One-time enrollment codes, and what a code is turned into.
 *
 * A code does two jobs: it lets a new workstation ask the hub for credentials,
 * and it unwraps the clinic data key (DK) that the issuing admin workstation
 * wrapped under it. So a code is made of two parts, each from one side:
 *
 *   C  secret part, 20 symbols (100 bits), made by the issuing workstation;
 *      the hub never sees it
 *   H  hub part, 10 symbols (50 bits), made by the hub when the code is
 *      deposited, and returned to the issuing workstation
 *   code       = C ‖ H, shown as six groups of five (`7K3MQ-9QXAB-…`)
 *   commitment = SHA-256("clinic-hub enrollment commitment v2" 0x00 C)   → sent to the hub
 *   wrap key   = HKDF-SHA256(C, random salt, "clinic-workstation enrollment wrap v1")
 *
 * Issuing: the workstation sends the commitment and DK wrapped under C; the
 * hub draws H, stores only SHA-256(context, commitment, H) (secrets.ts) with
 * the wrap, and answers H. Enrolling: the new workstation sends the
 * commitment and H, the hub recomputes the digest and looks it up.
 *
 * Why two parts. Until version 2 the issuing workstation made the whole code
 * and deposited its proof: an enrolled workstation (or whoever took it) could
 * deposit the proof of a code it chose, say one an accomplice already knew,
 * and so keep a way back in after its revocation. Now every code holds 50
 * bits nobody chose but the hub, drawn afresh per code: no client can deposit
 * a code known or guessable beforehand, and an outsider guessing online (the
 * hub's per-address limit on wrong codes, the 24-hour default expiry, single
 * use) faces 2^50 possibilities per code even if C came from a broken random
 * source. The issuing workstation does learn the code (it must show it), so
 * this alone cannot stop it keeping a code for later; that is what the rest
 * closes: codes are short-lived and single use, revoking a workstation
 * revokes its unused codes (and the hub refuses any code whose issuer is
 * revoked), and the hub records who issued and who used each code, so the
 * revocation lists the workstations enrolled with its codes for review.
 *
 * Why the hub still cannot unwrap DK. The wrap key depends on C alone, 100
 * bits the hub never receives: it sees only the commitment (a hash it cannot
 * invert), and H, which adds nothing to the wrap key. Neither the hub nor a
 * stolen registry (the digest, the wrap) can unwrap DK, and a stolen registry
 * cannot enroll either (the digest's preimage needs the commitment). Fast
 * hashes are enough: 100 random bits cannot be searched offline.
 *
 * Codes of the first format (20 symbols, made wholly by the workstation) are
 * refused with a plain message here, and revoked by the hub's registry
 * upgrade (registry-upgrade.ts): they lived at most a week.
 *
 * WebCrypto only, so the hub and the browser-side client share it.
 */

const groupLength = 5;
const secretLength = 20; // 20 × 5 bits = 100 bits
const hubPartLength = 10; // 10 × 5 bits = 50 bits
const codeLength = secretLength + hubPartLength;
const oldCodeLength = 20;
const commitmentContext = 'clinic-hub enrollment commitment v2\u0000';
const wrapInfo = 'clinic-workstation enrollment wrap v1';

/** base64url without padding: what the hub accepts as a commitment (43 characters for 32 bytes). */
export const commitmentPattern = /^[A-Za-z0-9_-]{43}$/;
/** The hub's part as the hub sends it: canonical Crockford symbols. */
export const hubPartPattern = new RegExp(`^[${crockfordAlphabet}]{${hubPartLength}}$`);

/** What an enrolling workstation sends the hub in place of the code. */
export const enrollmentProofSchema = z.strictObject({
  commitment: z.string().regex(commitmentPattern, 'commitment is codeCommitment(secret part): 43 base64url characters'),
  hubPart: z.string().regex(hubPartPattern, `hubPart is the code's last ${hubPartLength} symbols, as the hub made them`),
});
export type EnrollmentProof = z.infer<typeof enrollmentProofSchema>;

export class EnrollmentCodeError extends Error {
  constructor(
    readonly code: 'not_a_code' | 'old_code' | 'wrong_code' | 'malformed_wrap',
    message: string,
  ) {
    super(message);
    this.name = 'EnrollmentCodeError';
  }
}

// 256 is a multiple of 32, so masking a random byte keeps every symbol equally likely.
const randomSymbols = (count: number): string => [...randomBytes(count)].map((byte) => crockfordAlphabet[byte & 31]).join('');

/** The issuing workstation's secret part C (100 bits); it never leaves the workstations. */
export const generateCodeSecret = (): string => randomSymbols(secretLength);

/** The hub's part H (50 bits), drawn by the hub for each code deposited. */
export const generateHubPart = (): string => randomSymbols(hubPartLength);

const secretPattern = new RegExp(`^[${crockfordAlphabet}]{${secretLength}}$`);

/** The whole code to show, such as `7K3MQ-9QXAB-…` (six groups of five). */
export function composeEnrollmentCode(secretPart: string, hubPart: string): string {
  if (!secretPattern.test(secretPart) || !hubPartPattern.test(hubPart)) throw new Error('not the two parts of an enrollment code');
  return (secretPart + hubPart).match(new RegExp(`.{1,${groupLength}}`, 'g'))!.join('-');
}

/**
 * The canonical form of what a person typed (case, spaces and dashes ignored;
 * O read as 0, I and L as 1), or undefined when it cannot be a code.
 */
export function normalizeEnrollmentCode(text: string): string | undefined {
  const symbols = readCrockford(text);
  return symbols?.length === codeLength ? symbols : undefined;
}

/** The two parts of a typed code, or a plain-words refusal (a code of the first format says so). */
export function splitEnrollmentCode(text: string): { secretPart: string; hubPart: string } {
  const symbols = readCrockford(text);
  if (symbols?.length === codeLength) return { secretPart: symbols.slice(0, secretLength), hubPart: symbols.slice(secretLength) };
  if (symbols?.length === oldCodeLength) {
    throw new EnrollmentCodeError('old_code', 'That is an enrollment code of the older, shorter kind (20 letters and digits), which is no longer accepted: ask for a new code.');
  }
  throw new EnrollmentCodeError('not_a_code', `That is not an enrollment code: it has ${codeLength} letters and digits in groups of five.`);
}

function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function checkSecretPart(secretPart: string): string {
  if (!secretPattern.test(secretPart)) throw new Error('not the secret part of an enrollment code');
  return secretPart;
}

/** What the issuing workstation deposits in place of its secret part. */
export async function codeCommitment(secretPart: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', utf8(commitmentContext + checkSecretPart(secretPart)));
  return toBase64Url(new Uint8Array(digest));
}

/** What an enrolling workstation sends the hub for a typed code. */
export async function enrollmentProof(code: string): Promise<EnrollmentProof> {
  const { secretPart, hubPart } = splitEnrollmentCode(code);
  return { commitment: await codeCommitment(secretPart), hubPart };
}

const dataKeyAlgorithm = { name: 'AES-GCM', length: 256 } as const;

async function secretKek(secretPart: string, salt: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', utf8(secretPart), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt, info: utf8(wrapInfo) }, material, dataKeyAlgorithm, false, ['wrapKey', 'unwrapKey']);
}

/**
 * DK wrapped under the code's secret part (the hub's part is not known yet,
 * and would add nothing the hub does not know), as the opaque string the
 * issuing workstation deposits: `v1.<salt>.<iv>.<wrapped key>` (base64 parts).
 */
export async function wrapDataKeyForEnrollment(dataKey: CryptoKey, secretPart: string): Promise<string> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const wrapped = await crypto.subtle.wrapKey('raw', dataKey, await secretKek(checkSecretPart(secretPart), salt), { name: 'AES-GCM', iv });
  return ['v1', toBase64(salt), toBase64(iv), toBase64(new Uint8Array(wrapped))].join('.');
}

/** The inverse, on the new workstation, from the whole code as typed; extractable so it can be wrapped for its staff. */
export async function unwrapDataKeyFromEnrollment(wrappedKey: string, code: string): Promise<CryptoKey> {
  const { secretPart } = splitEnrollmentCode(code);
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
    return await crypto.subtle.unwrapKey('raw', wrapped, await secretKek(secretPart, salt), { name: 'AES-GCM', iv }, dataKeyAlgorithm, true, ['encrypt', 'decrypt']);
  } catch {
    // The hub matched the code, so its secret part is as issued: the wrap is damaged, or was made under another code.
    throw new EnrollmentCodeError('wrong_code', 'That enrollment code does not open the clinic key it came with.');
  }
}
