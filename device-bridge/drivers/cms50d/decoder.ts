import type { DecodeStep, DecodedItem } from '../decoder';
import { FRAME_LENGTH, checkFrameAt, readFrame } from './frame';
import { interpretFrame } from './interpret';
import { toHex } from '../../../app/crypto/bytes';

/**
 * The item contract caps raw hex at 16 384 characters and a waveform at 4 096
 * samples, so a long backlog is reported in pieces of this many bytes/frames.
 */
const MAX_RAW_BYTES = 4096;
const MAX_WAVEFORM_FRAMES = 1024;

const garbled = (bytes: Uint8Array): DecodedItem => ({
  type: 'error',
  error: { code: 'garbled', reason: 'Bytes from the oximeter that are not a live-data frame were skipped.', raw: toHex(bytes) },
});

/**
 * Decodes CMS50D+ live frames. Pure: the pleth samples of the call come back
 * as one waveform item (several past 1 024 frames), then what each frame says
 * (SpO2 and pulse readings, statuses, out-of-range values) in stream order.
 * The device repeats its values 60 times a second; collapsing those repeats
 * spans calls, so it is the device stream's job (drivers/repeats.ts), and
 * what a stream yields never depends on how its bytes were batched. Noise is
 * skipped up to the next frame start and reported as one `garbled` item per run.
 */
export function decodeCms50d(bytes: Uint8Array): DecodeStep {
  const said: DecodedItem[] = [];
  const samples: number[] = [];
  const frames: string[] = [];
  let garbageFrom = -1;
  const flushGarbage = (to: number) => {
    for (let from = garbageFrom; from >= 0 && from < to; from += MAX_RAW_BYTES) {
      said.push(garbled(bytes.subarray(from, Math.min(to, from + MAX_RAW_BYTES))));
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
    said.push(...interpretFrame(frame, raw));
    i += FRAME_LENGTH;
  }
  flushGarbage(i);

  const items: DecodedItem[] = [];
  for (let n = 0; n < samples.length; n += MAX_WAVEFORM_FRAMES) {
    const end = n + MAX_WAVEFORM_FRAMES;
    items.push({ type: 'waveform', samples: samples.slice(n, end), raw: frames.slice(n, end).join('') });
  }
  return { consumed: i, items: items.concat(said) };
}
