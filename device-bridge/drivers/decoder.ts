import { toHex } from '../../app/crypto/bytes';
import { maxRawBytes, type DecodedItem } from '../../app/devices/decoded-item';

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

/**
 * `reason` and `raw` for an item about a message of any length (a reply that
 * failed its checks, a stream cut off midway). The contract caps `raw` at
 * maxRawBytes and an item over it makes its whole event unreadable, so a
 * longer message keeps only its last bytes, where a reply's checks and end
 * line are and where a cut-off stream stopped, and the reason says so.
 */
export function boundedRaw(bytes: Uint8Array, reason: string): { reason: string; raw: string } {
  if (bytes.length <= maxRawBytes) return { reason, raw: toHex(bytes) };
  return { reason: `${reason} Its last ${maxRawBytes} of ${bytes.length} bytes are kept.`, raw: toHex(bytes.subarray(bytes.length - maxRawBytes)) };
}

/** The smallest buffer the stream decoder allocates, so short frames do not reallocate on every push. */
const minCapacity = 4096;

/**
 * Runs a decoder over a stream delivered in chunks, keeping the unused tail
 * between calls. `end()` reports a frame left half-received as `truncated`.
 *
 * The unused bytes live in `buffer[start, end)` and chunks are appended in
 * place; when a chunk does not fit, what is pending moves to a new buffer
 * twice the size it then needs. So each byte is copied a bounded number of
 * times however long the frame it belongs to: joining pending and chunk into
 * a fresh array on every push copied a long frame once per piece (a 1,000-result
 * FreeStyle reply, one 64-byte report at a time, about 500 times over). The
 * decoder is handed a view of the buffer; decoders are pure and keep nothing
 * of their input, so the buffer can be reused after the call.
 */
export function createStreamDecoder(decode: Decode) {
  let buffer = new Uint8Array(0);
  let start = 0;
  let end = 0;
  let scanned = 0;
  return {
    push(chunk: Uint8Array): DecodedItem[] {
      if (end + chunk.length > buffer.length) {
        const pending = buffer.subarray(start, end);
        const grown = new Uint8Array(Math.max(minCapacity, 2 * (pending.length + chunk.length)));
        grown.set(pending);
        buffer = grown;
        start = 0;
        end = pending.length;
      }
      buffer.set(chunk, end);
      end += chunk.length;
      const step = decode(buffer.subarray(start, end), scanned);
      start += step.consumed;
      // All used: start again at the front, so a buffer the size of the frames is never outgrown.
      if (start === end) start = end = 0;
      scanned = step.consumed === 0 ? (step.scanned ?? 0) : 0;
      return step.items;
    },
    end(): DecodedItem[] {
      const pending = buffer.subarray(start, end);
      buffer = new Uint8Array(0);
      start = end = 0;
      scanned = 0;
      if (pending.length === 0) return [];
      return [{ type: 'error', error: { code: 'truncated', ...boundedRaw(pending, 'The device stopped in the middle of a message.') } }];
    },
  };
}
