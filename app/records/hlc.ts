/**
 * A hybrid logical clock: wall time in ms, a counter for events within one ms
 * or while the wall clock runs behind, and the node (workstation) id. Encoded
 * as a fixed-width string so plain string order is causal order, which lets
 * the store index and compare it in clear.
 */
export interface Hlc {
  wallMs: number;
  counter: number;
  node: string;
}

const wallWidth = 15;
const counterWidth = 5;

export function encodeHlc({ wallMs, counter, node }: Hlc): string {
  return `${String(wallMs).padStart(wallWidth, '0')}-${String(counter).padStart(counterWidth, '0')}-${node}`;
}

export function decodeHlc(text: string): Hlc {
  const match = /^(\d{15})-(\d{5})-([A-Za-z0-9_-]{1,40})$/.exec(text);
  if (!match) throw new Error('not a clock value');
  return { wallMs: Number(match[1]), counter: Number(match[2]), node: match[3]! };
}

/** A clock for one workstation; `now` is injectable for tests. */
export function createHlcClock(node: string, now: () => number = () => Date.now()) {
  let last: Hlc = { wallMs: 0, counter: 0, node };
  return {
    /** A new timestamp, later than every one this clock made or saw. */
    tick(): string {
      const wall = now();
      last = wall > last.wallMs ? { wallMs: wall, counter: 0, node } : { wallMs: last.wallMs, counter: last.counter + 1, node };
      return encodeHlc(last);
    },
    /** Takes a timestamp from another workstation into account. */
    observe(remote: string): void {
      const other = decodeHlc(remote);
      const wall = Math.max(now(), last.wallMs, other.wallMs);
      const counter =
        wall === last.wallMs && wall === other.wallMs
          ? Math.max(last.counter, other.counter) + 1
          : wall === last.wallMs
            ? last.counter + 1
            : wall === other.wallMs
              ? other.counter + 1
              : 0;
      last = { wallMs: wall, counter, node };
    },
  };
}
