import type { DecodeStep, DecodedItem } from '../decoder';
import { toHex } from '../decoder';
import { FRAME_LENGTH, checkFrameAt, readFrame } from './frame';
import { interpretFrame } from './interpret';

/**
 * The item contract caps raw hex at 16 384 characters and a waveform at 4 096
 * samples, so a long backlog is reported in pieces of this many bytes/frames.
 */
const MAX_RAW_BYTES = 4096;
const MAX_WAVEFORM_FRAMES = 1024;

interface Placed {
  at: number;
  item: DecodedItem;
}

const garbled = (bytes: Uint8Array): DecodedItem => ({
  type: 'error',
  error: { code: 'garbled', reason: 'Bytes from the oximeter that are not a live-data frame were skipped.', raw: toHex(bytes) },
});

/**
 * Decodes CMS50D+ live frames. Pure: the pleth samples of the call come back
 * as one waveform item (several past 1 024 frames); SpO2, pulse, statuses and implausible values as at
 * most one item each (the latest in the call), in stream order, because the
 * device repeats them 60 times a second. Noise is skipped up to the next
 * frame start and reported as one `garbled` item per run.
 */
export function decodeCms50d(bytes: Uint8Array): DecodeStep {
  const latest = new Map<string, Placed>();
  const skipped: Placed[] = [];
  const samples: number[] = [];
  const frames: string[] = [];
  let garbageFrom = -1;
  const flushGarbage = (to: number) => {
    for (let from = garbageFrom; from >= 0 && from < to; from += MAX_RAW_BYTES) {
      skipped.push({ at: from, item: garbled(bytes.subarray(from, Math.min(to, from + MAX_RAW_BYTES))) });
    }
    garbageFrom = -1;
  };

  let i = 0;
  while (i < bytes.length) {
    const check = checkFrameAt(bytes, i);
    if (check === 'incomplete') break;
    if (check === 'not-a-frame') {
      if (garbageFrom < 0) garbageFrom = i;
      i += 1;
      continue;
    }
    flushGarbage(i);
    const frame = readFrame(bytes, i);
    const raw = toHex(bytes.subarray(i, i + FRAME_LENGTH));
    samples.push(frame.pleth);
    frames.push(raw);
    for (const [key, item] of interpretFrame(frame, raw)) latest.set(key, { at: i, item });
    i += FRAME_LENGTH;
  }
  flushGarbage(i);

  const items: DecodedItem[] = [];
  for (let n = 0; n < samples.length; n += MAX_WAVEFORM_FRAMES) {
    const end = n + MAX_WAVEFORM_FRAMES;
    items.push({ type: 'waveform', samples: samples.slice(n, end), raw: frames.slice(n, end).join('') });
  }
  const placed = [...skipped, ...latest.values()].sort((a, b) => a.at - b.at);
  return { consumed: i, items: items.concat(placed.map((p) => p.item)) };
}
