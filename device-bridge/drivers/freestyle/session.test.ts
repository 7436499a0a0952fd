import { describe, expect, it } from 'vitest';
import { createStreamDecoder, type DecodedItem } from '../decoder';
import { decode } from './decoder';
import { linkItem } from './link';
import { latin1, MessageType } from './reports';
import { createFreestyleSession, MAX_RETRIES } from './session';
import { exampleMeter, hostReports, meterRespond, type SimulatedMeter } from './simulator';

/** Runs the session against the simulated meter; `tamper` may alter each input report on its way in. */
function run(meter: SimulatedMeter, tamper: (report: Uint8Array, n: number) => Uint8Array = (r) => r) {
  const session = createFreestyleSession();
  const stream = createStreamDecoder(decode);
  const outbox = session.start();
  const sent: Uint8Array[] = [];
  const items: DecodedItem[] = [];
  let done = false;
  let n = 0;
  while (!done && outbox.length > 0 && sent.length < 50) {
    const host = outbox.shift()!;
    sent.push(host);
    for (const report of meterRespond(meter, host)) {
      const got = stream.push(tamper(report, n++));
      items.push(...got);
      const reply = session.onItems(got);
      outbox.push(...reply.send);
      done ||= reply.done;
    }
  }
  return { sent, items, done };
}

const describeHost = (r: Uint8Array) => (r[0] === MessageType.text ? latin1(r.subarray(2, 2 + (r[1] ?? 0))) : `0x${(r[0] ?? 0).toString(16).padStart(2, '0')}`);
const readingValues = (items: DecodedItem[]) => items.flatMap((i) => (i.type === 'reading' ? [i.reading.value] : []));

describe('FreeStyle session', () => {
  it('sends INIT, then $serlnum? after the INIT answer, then $result?, and is done after the results', () => {
    const { sent, items, done } = run({ ...exampleMeter, keepaliveEvery: 2 });
    expect(done).toBe(true);
    expect(sent.map(describeHost)).toEqual(['0x01', '$serlnum?', '$result?']);
    expect(sent).toEqual(hostReports());
    expect(readingValues(items)).toEqual([118, 96]);
  });

  it('asks again when a reply fails its checksum', () => {
    // Report 3 is the first of the $result? reply; change one digit of a record.
    const { sent, items, done } = run(exampleMeter, (report, n) => {
      if (n !== 2) return report;
      const copy = report.slice();
      copy[20] = copy[20] === 0x31 ? 0x32 : 0x31;
      return copy;
    });
    expect(done).toBe(true);
    expect(sent.map(describeHost)).toEqual(['0x01', '$serlnum?', '$result?', '$result?']);
    expect(items.filter((i) => i.type === 'error').map((i) => (i.type === 'error' ? i.error.code : ''))).toEqual(['checksum']);
    expect(readingValues(items)).toEqual([118, 96]);
  });

  it('gives up after repeated bad replies, and at once when the meter rejects a message type', () => {
    const session = createFreestyleSession();
    expect(session.onItems([linkItem('init', '')]).send).toHaveLength(1);
    for (let i = 0; i < MAX_RETRIES; i++) expect(session.onItems([linkItem('bad-reply', '')])).toMatchObject({ send: [expect.any(Uint8Array)], done: false });
    expect(session.onItems([linkItem('bad-reply', '')])).toEqual({ send: [], done: true });
    const other = createFreestyleSession();
    expect(other.onItems([linkItem('rejected-command', '')])).toEqual({ send: [], done: true });
  });

  it('still asks for the results when the meter refuses $serlnum?', () => {
    const session = createFreestyleSession();
    session.onItems([linkItem('init', '')]);
    const { send, done } = session.onItems([linkItem('failed', '')]);
    expect(send.map(describeHost)).toEqual(['$result?']);
    expect(done).toBe(false);
    expect(session.onItems([linkItem('results', '', { count: 0 })])).toEqual({ send: [], done: true });
  });
});
