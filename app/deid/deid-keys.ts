import { toHex } from '../crypto/bytes';
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
