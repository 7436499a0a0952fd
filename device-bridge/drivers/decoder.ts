import type { DecodedItem } from '../../app/devices/decoded-item';

/**
 * The contract every driver's decoder meets. A decoder is a pure function of
 * the bytes it is given: it returns what it could decode and how many bytes it
 * used; the caller keeps the rest and calls again when more arrive. So a frame
 * split at any byte boundary decodes exactly as the whole frame does, and no
 * decoder holds hidden state.
 */
export type { DecodeError, DecodeErrorCode, DecodedItem, DeviceStatus } from '../../app/devices/decoded-item';

export interface DecodeStep {
  /** Bytes used from the start of the input; the caller keeps the rest for the next call. */
  consumed: number;
  items: DecodedItem[];
  /**
   * With nothing consumed: how far the decoder has looked without finding the
   * end of the frame it is in. Passed back as `scanned` on the next call so a
   * long frame arriving in pieces is searched once, not once per piece.
   */
  scanned?: number;
}

/**
 * `scanned` is only a hint a decoder may use to skip re-searching bytes it
 * already searched; the result must be the same with or without it.
 */
export type Decode = (bytes: Uint8Array, scanned?: number) => DecodeStep;

export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Runs a decoder over a stream delivered in chunks, keeping the unused tail
 * between calls. `end()` reports a frame left half-received as `truncated`.
 */
export function createStreamDecoder(decode: Decode) {
  let pending = new Uint8Array(0);
  let scanned = 0;
  return {
    push(chunk: Uint8Array): DecodedItem[] {
      const joined = new Uint8Array(pending.length + chunk.length);
      joined.set(pending);
      joined.set(chunk, pending.length);
      const step = decode(joined, scanned);
      pending = joined.slice(step.consumed);
      scanned = step.consumed === 0 ? (step.scanned ?? 0) : 0;
      return step.items;
    },
    end(): DecodedItem[] {
      if (pending.length === 0) return [];
      const raw = toHex(pending);
      pending = new Uint8Array(0);
      return [{ type: 'error', error: { code: 'truncated', reason: 'The device stopped in the middle of a message.', raw } }];
    },
  };
}
