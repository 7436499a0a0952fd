import { fromBase64, fromUtf8, randomBytes, toBase64, utf8 } from './bytes';

/**
 * AES-256-GCM over a JSON payload, with a fresh 96-bit IV each time and the
 * caller's context (ids, clear fields) as additional data: the text opens only
 * under the same key AND the same context. Format: `v1.<iv>.<ciphertext>`.
 */
export class SealError extends Error {
  constructor(
    readonly code: 'tampered' | 'malformed',
    /** An opaque id of what failed to open, for support; never content. */
    readonly what: string,
  ) {
    super(
      code === 'tampered'
        ? `${what} cannot be opened: it was altered or damaged, or sealed with another clinic's key. Other records are not affected.`
        : `${what} is not in the expected format. Other records are not affected.`,
    );
    this.name = 'SealError';
  }
}

/** `v1.<12-byte IV>.<ciphertext with its 16-byte tag>` in base64: the IV is 16 characters, the rest at least 24. */
export const sealedTextPattern = /^v1\.[A-Za-z0-9+/]{16}\.[A-Za-z0-9+/]{22,}={0,2}$/;

const additionalData = (context: readonly string[]) => utf8(['v1', ...context].join('|'));

export async function sealPayload(key: CryptoKey, context: readonly string[], payload: unknown): Promise<string> {
  const iv = randomBytes(12);
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(context) }, key, utf8(JSON.stringify(payload)));
  return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(ciphertext))}`;
}

/** The decrypted payload, unvalidated: the caller checks it against its schema. */
export async function openPayload(key: CryptoKey, context: readonly string[], sealed: string, what: string): Promise<unknown> {
  const [version, ivText, bodyText, extra] = sealed.split('.');
  let iv: Uint8Array<ArrayBuffer>;
  let body: Uint8Array<ArrayBuffer>;
  try {
    if (version !== 'v1' || ivText === undefined || bodyText === undefined || extra !== undefined) throw new Error('format');
    iv = fromBase64(ivText);
    body = fromBase64(bodyText);
    if (iv.length !== 12) throw new Error('iv');
  } catch {
    throw new SealError('malformed', what);
  }
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: additionalData(context) }, key, body);
  } catch {
    throw new SealError('tampered', what);
  }
  try {
    return JSON.parse(fromUtf8(new Uint8Array(plaintext))) as unknown;
  } catch {
    throw new SealError('malformed', what);
  }
}
