import { toHex, utf8 } from './bytes';

/** SHA-256 of the text's UTF-8 bytes, as 64 hex digits (WebCrypto: the same in Node, pages and workers). */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(text))));
}
