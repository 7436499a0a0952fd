import type { DecodedReading } from '../../app/devices/reading';

/**
 * The contract every driver's decoder meets. A decoder is a pure function of
 * the bytes it is given: it returns what it could decode and how many bytes it
 * used; the caller keeps the rest and calls again when more arrive. So a frame
 * split at any byte boundary decodes exactly as the whole frame does, and no
 * decoder holds hidden state.
 */
export type DecodeErrorCode =
  | 'checksum' // a frame whose checksum does not match: never turned into a reading
  | 'garbled' // bytes that are not a frame of this protocol (skipped up to the next frame start)
  | 'truncated' // the stream ended inside a frame
  | 'implausible' // a well-formed frame whose value no patient can have
  | 'unsupported'; // a well-formed frame this driver does not understand (kept for the log)

export interface DecodeError {
  code: DecodeErrorCode;
  /** Plain words for the nurse and the log; device data only, never patient data. */
  reason: string;
  /** Hex of the offending bytes, for support. */
  raw: string;
}

/** Device states worth showing (finger out, probe error, header info such as the serial number). */
export interface DeviceStatus {
  status: 'finger-out' | 'probe-error' | 'searching' | 'ok' | 'header' | 'end';
  detail?: Record<string, string | number>;
  raw: string;
}

export type DecodedItem =
  | { type: 'reading'; reading: DecodedReading }
  | { type: 'waveform'; samples: number[]; raw: string }
  | { type: 'status'; status: DeviceStatus }
  | { type: 'error'; error: DecodeError };

export interface DecodeStep {
  /** Bytes used from the start of the input; the caller keeps the rest for the next call. */
  consumed: number;
  items: DecodedItem[];
}

export type Decode = (bytes: Uint8Array) => DecodeStep;

export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Runs a decoder over a stream delivered in chunks, keeping the unused tail
 * between calls. `end()` reports a frame left half-received as `truncated`.
 */
export function createStreamDecoder(decode: Decode) {
  let pending = new Uint8Array(0);
  return {
    push(chunk: Uint8Array): DecodedItem[] {
      const joined = new Uint8Array(pending.length + chunk.length);
      joined.set(pending);
      joined.set(chunk, pending.length);
      const step = decode(joined);
      pending = joined.slice(step.consumed);
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
