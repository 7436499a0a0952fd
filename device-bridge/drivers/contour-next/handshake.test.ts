import { describe, expect, it } from 'vitest';
import { ENQ, EOT } from '../astm/e1381';
import { createStreamDecoder, type DecodedItem } from '../decoder';
import { decode } from './decoder';
import { linkItem } from './link';
import { toInputReports } from './reports';
import { ackReport, createContourHandshake, MAX_REJECTS, nakReport } from './handshake';
import { exampleMeter, hostReports, initialMeterState, meterRespond, transferReports, type SimulatedMeter } from './simulator';

/** Runs the handshake against the simulated meter; `tamper` may alter each input report on its way in. */
function run(meter: SimulatedMeter, tamper: (report: Uint8Array, n: number) => Uint8Array = (r) => r) {
  const handshake = createContourHandshake();
  const stream = createStreamDecoder(decode);
  const outbox = handshake.start();
  const sent: Uint8Array[] = [];
  const items: DecodedItem[] = [];
  let state = initialMeterState;
  let done = false;
  let n = 0;
  while (!done && outbox.length > 0 && sent.length < 200) {
    const host = outbox.shift()!;
    sent.push(host);
    const answer = meterRespond(meter, state, host);
    state = answer.state;
    for (const report of answer.reports) {
      const got = stream.push(tamper(report, n++));
      items.push(...got);
      const reply = handshake.onItems(got);
      outbox.push(...reply.send);
      done ||= reply.done;
    }
  }
  return { sent, items, done };
}

const readingValues = (items: DecodedItem[]) => items.flatMap((i) => (i.type === 'reading' ? [i.reading.value] : []));
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

describe('Contour Next USB handshake', () => {
  it('ACKs the ENQ and every frame, and is done at EOT', () => {
    const { sent, items, done } = run(exampleMeter);
    expect(done).toBe(true);
    expect(readingValues(items)).toEqual([104, 162]);
    // start() ACK, then one ACK per ENQ and frame: H, P, three R, L.
    expect(sent).toHaveLength(8);
    expect(sent.every((r) => same(r, ackReport()))).toBe(true);
    expect(sent).toEqual(hostReports(exampleMeter));
  });

  it('NAKs a frame that arrives corrupted; the meter resends it and the reading arrives once', () => {
    const first = transferReports(exampleMeter).findIndex((r) => String.fromCharCode(...r.subarray(4, 10)).includes('R|1'));
    const { sent, items, done } = run(exampleMeter, (report, n) => {
      if (n !== first) return report;
      const copy = report.slice();
      copy[12] = copy[12] === 0x5e ? 0x7e : 0x5e; // a text byte inside the first result frame
      return copy;
    });
    expect(done).toBe(true);
    expect(items.some((i) => i.type === 'error' && i.error.code === 'checksum')).toBe(true);
    expect(sent.filter((r) => same(r, nakReport()))).toHaveLength(1);
    expect(readingValues(items)).toEqual([104, 162]);
  });

  it('is not done by an EOT before the first frame, which the meter sends while it establishes', () => {
    const handshake = createContourHandshake();
    expect(handshake.onItems(decode(toInputReports(Uint8Array.of(EOT))[0]!).items)).toEqual({ send: [], done: false });
    expect(handshake.onItems(decode(toInputReports(Uint8Array.of(EOT, ENQ))[0]!).items)).toEqual({ send: [ackReport()], done: false });
  });

  it('stops answering after the meter has sent more bad frames in a row than E1381 allows', () => {
    const handshake = createContourHandshake();
    const rejected = [linkItem('rejected', '')];
    for (let i = 0; i < MAX_REJECTS; i++) expect(handshake.onItems(rejected)).toEqual({ send: [nakReport()], done: false });
    expect(handshake.onItems(rejected)).toEqual({ send: [], done: true });
  });
});
