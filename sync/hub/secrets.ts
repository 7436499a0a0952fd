import { createHash, createHmac, randomBytes, randomUUID, scrypt, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import type { EnrollmentProof } from '../../app/enrollment/enrollment-code';
import type { ClinicId, WorkstationId } from '../protocol/naming';

/**
 * Credential material: workstation secrets (stored as scrypt hashes),
 * enrollment-code digests, and new ids.
 */

const newHex = (): string => randomUUID().replace(/-/g, '');
export const newClinicId = (): ClinicId => `clinic-${newHex()}`;
export const newWorkstationId = (): WorkstationId => `ws-${newHex()}`;
export const newHubId = (): string => newHex();

/** 256 random bits, base64url: fits an HTTP Basic password (no colon) as it is. */
export const secretPattern = /^[A-Za-z0-9_-]{43}$/;
export const newSecret = (): string => randomBytes(32).toString('base64url');

function scryptAsync(password: BinaryLike, salt: BinaryLike, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));
}

// A secret is 256 random bits, so no hash speed makes guessing it feasible;
// scrypt is there so a stolen registry is worth even less. N = 2^14, r = 8
// costs ~16 MiB and some tens of milliseconds, paid once per workstation per
// few minutes thanks to the verified-secret cache in auth.ts.
const cost = { N: 16384, r: 8, p: 1 } as const;
const keyLength = 32;
const storedPattern = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]{22})\$([A-Za-z0-9_-]{43})$/;

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, keyLength, { ...cost, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Also false for a damaged stored hash, and for parameters outside what this hub would ever write (an edited registry must not make us burn memory). */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const match = storedPattern.exec(stored);
  if (!match) return false;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (N < 1024 || N > 1 << 17 || (N & (N - 1)) !== 0 || r < 1 || r > 16 || p < 1 || p > 4) return false;
  const expected = Buffer.from(match[5]!, 'base64url');
  const actual = await scryptAsync(secret, Buffer.from(match[4]!, 'base64url'), expected.length, { N, r, p, maxmem: 256 * 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}

/**
 * What the registry keeps of an enrollment code: a digest binding the issuing
 * workstation's commitment to the hub's part (enrollment-code.ts), so the
 * code is found again only from both, and a stolen registry cannot give them.
 * High-entropy input, so one SHA-256 is enough.
 */
export const codeDigest = (proof: EnrollmentProof): string =>
  createHash('sha256').update(`clinic-hub enrollment code v2\u0000${proof.commitment}\u0000${proof.hubPart}`, 'utf8').digest('hex');

/** Keyed digests for the in-memory verified-secret cache: equal-length buffers for timingSafeEqual. */
export function keyedDigest(key: Buffer, value: string): Buffer {
  return createHmac('sha256', key).update(value, 'utf8').digest();
}

export const constantTimeEqual = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);
