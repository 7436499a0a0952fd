import type { DecodeStep, DecodedItem } from '../decoder';
import { parseLine } from './line';
import { toHex } from '../../../app/crypto/bytes';

const P = 0x50;
/** The DMF answer (the clock) is the one line that begins "F " instead. */
const F = 0x46;
const SPACE = 0x20;
const LF = 0x0a;
/** Longer than any Ultra 2 line (a result line is 61 bytes with its CR LF). */
export const MAX_LINE = 96;

/** The item contract caps raw hex at 16 384 characters, so a long run of noise is reported in pieces. */
const MAX_RAW_BYTES = 4096;

const startsLine = (byte: number | undefined): boolean => byte === P || byte === F;

/** Whether a line starts at `at`: every line of a dump begins "P ", the clock "F ". */
function lineStart(bytes: Uint8Array, at: number): 'yes' | 'no' | 'wait' {
  if (!startsLine(bytes[at])) return 'no';
  if (at + 1 >= bytes.length) return 'wait';
  return bytes[at + 1] === SPACE ? 'yes' : 'no';
}

/** Where the line starting at `at` ends (its LF), or where the next line starts when this one is cut short. */
function lineEnd(bytes: Uint8Array, at: number): { lf: number } | { restart: number } | undefined {
  const limit = Math.min(bytes.length, at + MAX_LINE);
  for (let k = at + 2; k < limit; k++) {
    if (bytes[k] === LF) return { lf: k };
    // "P " and "F " never occur inside a valid line, so here a new line began.
    if (startsLine(bytes[k]) && bytes[k + 1] === SPACE) return { restart: k };
  }
  return undefined;
}

const garbled = (bytes: Uint8Array): DecodedItem => ({
  type: 'error',
  error: { code: 'garbled', reason: 'Bytes from the meter that are not a line of its dump were skipped.', raw: toHex(bytes) },
});

/**
 * Decodes what a OneTouch Ultra 2 sends: one item per CR LF terminated line
 * (DMP header, result, DMF clock, or error), in order. Anything else is
 * skipped up to the next "P " or "F " and reported as one `garbled` item per
 * run; an unfinished line is left for the next call.
 */
export function decodeUltra2(bytes: Uint8Array): DecodeStep {
  const items: DecodedItem[] = [];
  let garbageFrom = -1;
  const skip = (from: number) => {
    if (garbageFrom < 0) garbageFrom = from;
  };
  const flushGarbage = (to: number) => {
    for (let from = garbageFrom; from >= 0 && from < to; from += MAX_RAW_BYTES) {
      items.push(garbled(bytes.subarray(from, Math.min(to, from + MAX_RAW_BYTES))));
    }
    garbageFrom = -1;
  };

  let i = 0;
  while (i < bytes.length) {
    const start = lineStart(bytes, i);
    if (start === 'wait') break;
    if (start === 'no') {
      skip(i);
      i += 1;
      continue;
    }
    const end = lineEnd(bytes, i);
    if (end === undefined) {
      if (bytes.length - i < MAX_LINE) break; // the rest of the line has not arrived yet
      skip(i); // too long to be a line
      i += 1;
    } else if ('restart' in end) {
      skip(i);
      i = end.restart;
    } else {
      flushGarbage(i);
      items.push(parseLine(bytes.subarray(i, end.lf + 1)));
      i = end.lf + 1;
    }
  }
  flushGarbage(i);
  return { consumed: i, items };
}
