import type { DecodedItem } from '../decoder';
import type { DriverHandshake } from '../driver';

const command = (text: string): Uint8Array => Uint8Array.from(`\x11\r${text}\r`, (c) => c.charCodeAt(0));

/** "\x11\r" wakes the meter's command mode, then "DMP\r" asks for the whole memory (glucometerutils otultra2.py). */
export const DUMP_COMMAND = command('DMP');
/** "DMF\r" asks for the meter's clock (glucometerutils otultra2.py `get_datetime`). */
export const CLOCK_COMMAND = command('DMF');

/** Hex of `P "` and `P <digit>`: how a result line and the header begin, whatever became of them. */
const RESULT_LINE = '502022';
const HEADER_LINE = /^50203[0-9]/;
/** Hex of `F `: how the clock line begins, whatever became of it. */
const CLOCK_LINE = '4620';

function rawOf(item: DecodedItem): string {
  if (item.type === 'reading') return item.reading.raw;
  if (item.type === 'status') return item.status.raw;
  if (item.type === 'error') return item.error.raw;
  return '';
}

/** The count a DMP header announces; the clock's header has none. */
function dumpCount(item: DecodedItem): number | undefined {
  const count = item.type === 'status' && item.status.status === 'header' ? item.status.detail?.count : undefined;
  return count === undefined ? undefined : Number(count);
}

/**
 * Sends the dump command, then counts result lines (good, bad or refused
 * alike) until the number the header announced has arrived (the meter sends
 * no end marker); then asks for the clock (DMF), and is done when its line
 * arrives, good or not. A header that fails its checksum leaves the count
 * unknown, so the exchange ends there and the user retries.
 *
 * The clock is asked for after the dump, never before: a meter that does not
 * answer DMF then costs no result. Its header also comes after the dump's,
 * and the capture screen keeps the last header, the one with the clock.
 */
export function createUltra2Handshake(): DriverHandshake {
  let expected: number | undefined;
  let received = 0;
  let askedClock = false;
  let done = false;
  return {
    start: () => [DUMP_COMMAND.slice()],
    onItems(items) {
      const send: Uint8Array[] = [];
      for (const item of items) {
        if (done) break;
        if (askedClock) {
          if (rawOf(item).startsWith(CLOCK_LINE)) done = true;
          continue;
        }
        const count = dumpCount(item);
        if (count !== undefined) {
          expected = count;
          received = 0;
        } else if (expected === undefined && item.type === 'error' && HEADER_LINE.test(item.error.raw)) {
          done = true;
        } else if (expected !== undefined && rawOf(item).startsWith(RESULT_LINE)) {
          received += 1;
        }
        if (expected !== undefined && received >= expected) {
          askedClock = true;
          send.push(CLOCK_COMMAND.slice());
        }
      }
      return { send, done };
    },
  };
}
