import { z } from 'zod';
import { fromBase64, randomBytes, toBase64, utf8 } from './bytes';
import { crockfordAlphabet, readCrockford } from './crockford';

/**
 * The clinic data key (DK) and the ways it is wrapped. One random AES-256 key
 * seals every record; each staff account stores DK wrapped under a key derived
 * from that person's passphrase, and the clinic keeps one wrap under the
 * recovery key shown once at setup. All of it is WebCrypto.
 */

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const pbkdf2Iterations = 600_000;
export const minPassphraseLength = 10;

export class KeyError extends Error {
  constructor(
    readonly code: 'wrong_passphrase' | 'wrong_recovery_key' | 'malformed_wrap',
    message: string,
  ) {
    super(message);
    this.name = 'KeyError';
  }
}

/** The data key wrapped under a passphrase or the recovery key; stored and replicated, validated wherever it is read. */
export const keyWrapSchema = z
  .object({
    kdf: z.enum(['PBKDF2-SHA256', 'HKDF-SHA256']),
    iterations: z.number().int().positive(),
    salt: z.string(),
    iv: z.string(),
    wrapped: z.string(),
  })
  .strict();
export type KeyWrap = z.infer<typeof keyWrapSchema>;

const dataKeyAlgorithm = { name: 'AES-GCM', length: 256 } as const;

/** Extractable so it can be wrapped for a new staff member; it only ever leaves memory wrapped. */
export const generateDataKey = (): Promise<CryptoKey> =>
  crypto.subtle.generateKey(dataKeyAlgorithm, true, ['encrypt', 'decrypt']);

async function passphraseKek(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', utf8(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, dataKeyAlgorithm, false, ['wrapKey', 'unwrapKey']);
}

async function recoveryKek(recoveryKey: Uint8Array<ArrayBuffer>, salt: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', recoveryKey, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: utf8('clinic-workstation recovery v1') },
    material,
    dataKeyAlgorithm,
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

async function wrapUnder(dataKey: CryptoKey, kek: CryptoKey, meta: Omit<KeyWrap, 'iv' | 'wrapped'>): Promise<KeyWrap> {
  const iv = randomBytes(12);
  const wrapped = await crypto.subtle.wrapKey('raw', dataKey, kek, { name: 'AES-GCM', iv });
  return { ...meta, iv: toBase64(iv), wrapped: toBase64(new Uint8Array(wrapped)) };
}

async function unwrapUnder(wrap: KeyWrap, kek: CryptoKey, failure: KeyError): Promise<CryptoKey> {
  let iv: Uint8Array<ArrayBuffer>;
  let wrapped: Uint8Array<ArrayBuffer>;
  try {
    iv = fromBase64(wrap.iv);
    wrapped = fromBase64(wrap.wrapped);
  } catch {
    throw new KeyError('malformed_wrap', 'The stored key is damaged.');
  }
  try {
    return await crypto.subtle.unwrapKey('raw', wrapped, kek, { name: 'AES-GCM', iv }, dataKeyAlgorithm, true, ['encrypt', 'decrypt']);
  } catch {
    // AES-GCM cannot tell a wrong key from a damaged wrap; the wrong key is by far the likelier.
    throw failure;
  }
}

export async function wrapWithPassphrase(dataKey: CryptoKey, passphrase: string, iterations = pbkdf2Iterations): Promise<KeyWrap> {
  const salt = randomBytes(16);
  return wrapUnder(dataKey, await passphraseKek(passphrase, salt, iterations), { kdf: 'PBKDF2-SHA256', iterations, salt: toBase64(salt) });
}

export async function unwrapWithPassphrase(wrap: KeyWrap, passphrase: string): Promise<CryptoKey> {
  if (wrap.kdf !== 'PBKDF2-SHA256') throw new KeyError('malformed_wrap', 'The stored key is damaged.');
  const kek = await passphraseKek(passphrase, fromBase64(wrap.salt), wrap.iterations);
  return unwrapUnder(wrap, kek, new KeyError('wrong_passphrase', 'The user name or passphrase is not right.'));
}


/** 256 random bits as 52 characters in groups of four, e.g. `7K3M-9QXA-…`. */
export function generateRecoveryKey(): string {
  const bytes = randomBytes(32);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += crockfordAlphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += crockfordAlphabet[(value << (5 - bits)) & 31];
  return out.match(/.{1,4}/g)!.join('-');
}

function parseRecoveryKey(text: string): Uint8Array<ArrayBuffer> {
  const clean = readCrockford(text);
  if (clean?.length !== 52) {
    throw new KeyError('wrong_recovery_key', 'That is not a recovery key: it has 52 letters and digits in groups of four.');
  }
  const bytes = new Uint8Array(32);
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of clean) {
    value = ((value << 5) | crockfordAlphabet.indexOf(char)) & 0xffff;
    bits += 5;
    if (bits >= 8 && index < 32) {
      bytes[index++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return bytes;
}

export async function wrapWithRecoveryKey(dataKey: CryptoKey, recoveryKey: string): Promise<KeyWrap> {
  const salt = randomBytes(16);
  return wrapUnder(dataKey, await recoveryKek(parseRecoveryKey(recoveryKey), salt), { kdf: 'HKDF-SHA256', iterations: 1, salt: toBase64(salt) });
}

export async function unwrapWithRecoveryKey(wrap: KeyWrap, recoveryKey: string): Promise<CryptoKey> {
  if (wrap.kdf !== 'HKDF-SHA256') throw new KeyError('malformed_wrap', 'The stored key is damaged.');
  const kek = await recoveryKek(parseRecoveryKey(recoveryKey), fromBase64(wrap.salt));
  return unwrapUnder(wrap, kek, new KeyError('wrong_recovery_key', 'That recovery key does not open this clinic’s data.'));
}
