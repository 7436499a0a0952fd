import type { DecodedItem } from '../decoder';
import type { DriverSession } from '../driver';

/** "\x11\r" wakes the meter's command mode, then "DMP\r" asks for the whole memory (glucometerutils otultra2.py). */
export const DUMP_COMMAND = Uint8Array.from('\x11\rDMP\r', (c) => c.charCodeAt(0));

/** Hex of `P "` and `P <digit>`: how a result line and the header begin, whatever became of them. */
const RESULT_LINE = '502022';
const HEADER_LINE = /^50203[0-9]/;

function rawOf(item: DecodedItem): string {
  if (item.type === 'reading') return item.reading.raw;
  if (item.type === 'status') return item.status.raw;
  if (item.type === 'error') return item.error.raw;
  return '';
}

/**
 * Sends the dump command, then counts result lines (good, bad or refused
 * alike) until the number the header announced has arrived. The meter sends
 * no end marker. A header that fails its checksum leaves the count unknown,
 * so the exchange ends there and the user retries.
 */
export function createUltra2Session(): DriverSession {
  let expected: number | undefined;
  let received = 0;
  let done = false;
  return {
    start: () => [DUMP_COMMAND.slice()],
    onItems(items) {
      for (const item of items) {
        if (done) break;
        if (item.type === 'status' && item.status.status === 'header') {
          expected = Number(item.status.detail?.count ?? 0);
          received = 0;
        } else if (expected === undefined && item.type === 'error' && HEADER_LINE.test(item.error.raw)) {
          done = true;
        } else if (expected !== undefined && rawOf(item).startsWith(RESULT_LINE)) {
          received += 1;
        }
        if (expected !== undefined && received >= expected) done = true;
      }
      return { send: [], done };
    },
  };
}
