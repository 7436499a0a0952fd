import { createStreamDecoder, type Decode, type DecodedItem } from './decoder';

/** Shared by the drivers' tests: byte plumbing and item filters (joining bytes is app/crypto/bytes.ts's concat). */
export const fromHex = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
export const readings = (items: DecodedItem[]) => items.flatMap((i) => (i.type === 'reading' ? [i.reading] : []));
export const errorCodes = (items: DecodedItem[]) => items.flatMap((i) => (i.type === 'error' ? [i.error.code] : []));

/** Everything a stream decoder gives when the bytes arrive in chunks of the given sizes (cycled). */
export function decodeInChunks(decode: Decode, bytes: Uint8Array, sizes: number[]): DecodedItem[] {
  const stream = createStreamDecoder(decode);
  const items: DecodedItem[] = [];
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    items.push(...stream.push(bytes.subarray(at, at + size)));
    at += size;
  }
  items.push(...stream.end());
  return items;
}

/**
 * Wraps a decoder to count the bytes a stream decoder moved between calls:
 * bytes one call left unused that the next call finds anywhere but where
 * they were (another buffer, or elsewhere in the same one) were copied there.
 * A lower bound on the copying that needs no clock.
 */
export function countCopies(decode: Decode): { decode: Decode; copied: () => number } {
  let copied = 0;
  let left: { buffer: ArrayBufferLike; at: number; length: number } | undefined;
  return {
    decode(bytes, scanned) {
      if (left && left.length > 0 && (bytes.buffer !== left.buffer || bytes.byteOffset !== left.at)) copied += left.length;
      const step = decode(bytes, scanned);
      left = { buffer: bytes.buffer, at: bytes.byteOffset + step.consumed, length: bytes.length - step.consumed };
      return step;
    },
    copied: () => copied,
  };
}
