import { toHex, utf8 } from '../crypto/bytes';
import { encryptionKey, hmacKey, type DeidKeys } from './deid-engine';

/**
 * The secrets a run hashes, shifts and encrypts with, by the names
 * Microsoft's anonymizer gives them (`cryptoHashKey`, `dateShiftKey`,
 * `encryptKey`). One secret alone serves for hashing and shifting, each
 * under its own derived key (the shift cannot be worked out from hashes).
 */
export interface DeidSecrets {
  cryptoHashKey: string;
  dateShiftKey: string;
  encryptKey?: string | undefined;
}

export function secretsFromOne(secret: string): DeidSecrets {
  return { cryptoHashKey: `crypto-hash:${secret}`, dateShiftKey: `date-shift:${secret}` };
}

/**
 * The clinic's own secrets for the Open Data Hub, derived from its data key
 * (HKDF-SHA256, its own label): every workstation of the clinic makes the
 * same pseudonyms and date shifts, so a contribution from one and a
 * withdrawal from another name the same patient at the hub, and no one
 * without the clinic key can make or reverse them.
 */
export async function clinicOdhSecrets(dataKey: CryptoKey): Promise<DeidSecrets> {
  const material = await crypto.subtle.importKey('raw', await crypto.subtle.exportKey('raw', dataKey), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: utf8('clinic-workstation open data hub pseudonyms v1') }, material, 256);
  return secretsFromOne(toHex(new Uint8Array(bits)));
}

/** Random secrets for one run, kept nowhere: output made with them cannot be linked to any other. */
export function randomSecrets(): DeidSecrets {
  return secretsFromOne(toHex(crypto.getRandomValues(new Uint8Array(32))));
}

export async function deidKeys(secrets: DeidSecrets): Promise<DeidKeys> {
  return {
    hash: await hmacKey(secrets.cryptoHashKey),
    dateShift: await hmacKey(secrets.dateShiftKey),
    encrypt: secrets.encryptKey === undefined ? undefined : await encryptionKey(secrets.encryptKey),
  };
}
