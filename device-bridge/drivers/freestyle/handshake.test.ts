import { describe, expect, it } from 'vitest';
import { meterClockOffset } from '../../../app/devices/result-times';
import type { DecodedItem } from '../decoder';
import { createDeviceStream } from '../device-stream';
import { freestyleDriver } from './index';
import { linkItem } from './link';
import { latin1, MessageType } from './reports';
import { createFreestyleHandshake, MAX_RETRIES } from './handshake';
import { exampleMeter, hostReports, meterRespond, recentMeter, type SimulatedMeter } from './simulator';

/**
 * Runs the handshake against the simulated meter, the items taken as a live
 * reading run takes them (the driver's device stream, its clock join included);
 * `tamper` may alter each input report on its way in.
 */
function run(meter: SimulatedMeter, tamper: (report: Uint8Array, n: number) => Uint8Array = (r) => r) {
  const handshake = createFreestyleHandshake();
  const stream = createDeviceStream(freestyleDriver);
  const outbox = handshake.start();
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
      const reply = handshake.onItems(got);
      outbox.push(...reply.send);
      done ||= reply.done;
    }
  }
  return { sent, items, done };
}

const describeHost = (r: Uint8Array) => (r[0] === MessageType.text ? latin1(r.subarray(2, 2 + (r[1] ?? 0))) : `0x${(r[0] ?? 0).toString(16).padStart(2, '0')}`);
const readingValues = (items: DecodedItem[]) => items.flatMap((i) => (i.type === 'reading' ? [i.reading.value] : []));
const headers = (items: DecodedItem[]) => items.flatMap((i) => (i.type === 'status' && i.status.status === 'header' ? [i.status.detail ?? {}] : []));
const errorReasons = (items: DecodedItem[]) => items.flatMap((i) => (i.type === 'error' ? [`${i.error.code}: ${i.error.reason}`] : []));

describe('FreeStyle handshake', () => {
  it('sends INIT, then $serlnum? after the INIT answer, then $result?, $date? and $time?, and is done after the time', () => {
    const { sent, items, done } = run({ ...exampleMeter, keepaliveEvery: 2 });
    expect(done).toBe(true);
    expect(sent.map(describeHost)).toEqual(['0x01', '$serlnum?', '$result?', '$date?', '$time?']);
    expect(sent).toEqual(hostReports(exampleMeter));
    expect(readingValues(items)).toEqual([118, 96]);
  });

  it('gives the meter’s clock as a header with meterTime, after the serial’s header, so the screen keeps it', () => {
    const { items } = run(exampleMeter);
    expect(headers(items)).toEqual([{ serial: 'SIMNEO1-00042' }, { meterTime: '2024-03-05T09:30:00' }]);
    expect(items.at(-1)).toMatchObject({ type: 'status', status: { status: 'header', detail: { meterTime: '2024-03-05T09:30:00' } } });
  });

  it('reports a meter clock 3 hours ahead of the workstation’s as off, and one on time as not', () => {
    const now = new Date(2025, 5, 15, 12, 0);
    const meterTime = (items: DecodedItem[]) => String(headers(items).at(-1)?.meterTime);
    expect(meterTime(run(recentMeter(now, 180)).items)).toBe('2025-06-15T15:00:00');
    expect(meterClockOffset(meterTime(run(recentMeter(now, 180)).items), now)).toBe(3 * 60 * 60 * 1000);
    expect(meterClockOffset(meterTime(run(recentMeter(now)).items), now)).toBeUndefined();
  });

  it('keeps every result when the meter refuses $date?, and asks nothing more', () => {
    const { sent, items, done } = run({ ...exampleMeter, clock: undefined });
    expect(done).toBe(true);
    expect(sent.map(describeHost)).toEqual(['0x01', '$serlnum?', '$result?', '$date?']);
    expect(readingValues(items)).toEqual([118, 96]);
    expect(headers(items)).toEqual([{ serial: 'SIMNEO1-00042' }]);
  });

  it('keeps every result when the meter’s clock is not set, says so, and gives no meterTime', () => {
    const { sent, items, done } = run({ ...exampleMeter, clock: null });
    expect(done).toBe(true);
    expect(sent.map(describeHost)).toEqual(['0x01', '$serlnum?', '$result?', '$date?', '$time?']);
    expect(readingValues(items)).toEqual([118, 96]);
    expect(errorReasons(items)).toEqual([expect.stringMatching(/^unsupported: The meter's clock is not set/), expect.stringMatching(/^unsupported: The meter's clock is not set/)]);
    expect(headers(items)).toEqual([{ serial: 'SIMNEO1-00042' }]);
  });

  it('asks for the date again when its reply arrives corrupted, then joins the good one with the time', () => {
    const tampered: string[] = [];
    let corrupted = false;
    const { items, done } = run(exampleMeter, (report) => {
      const text = latin1(report.subarray(2, 2 + (report[1] ?? 0)));
      if (corrupted || !/^3,5,24\r\n/.test(text)) return report;
      corrupted = true;
      tampered.push(text);
      const copy = report.slice();
      copy[2] = 0x34; // "4,5,24": the checksum no longer holds
      return copy;
    });
    expect(tampered).toHaveLength(1);
    expect(done).toBe(true);
    expect(items.flatMap((i) => (i.type === 'error' ? [i.error.code] : []))).toEqual(['checksum']);
    expect(headers(items).at(-1)).toEqual({ meterTime: '2024-03-05T09:30:00' });
  });

  it('is done with the results in when the date keeps arriving corrupted', () => {
    const handshake = createFreestyleHandshake();
    handshake.onItems([linkItem('init', '')]);
    handshake.onItems([linkItem('serial', '')]);
    expect(handshake.onItems([linkItem('results', '', { count: 0 })]).send.map(describeHost)).toEqual(['$date?']);
    for (let i = 0; i < MAX_RETRIES; i++) expect(handshake.onItems([linkItem('bad-reply', '')]).send.map(describeHost)).toEqual(['$date?']);
    expect(handshake.onItems([linkItem('bad-reply', '')])).toEqual({ send: [], done: true });
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
    expect(sent.map(describeHost)).toEqual(['0x01', '$serlnum?', '$result?', '$result?', '$date?', '$time?']);
    expect(items.filter((i) => i.type === 'error').map((i) => (i.type === 'error' ? i.error.code : ''))).toEqual(['checksum']);
    expect(readingValues(items)).toEqual([118, 96]);
  });

  it('gives up after repeated bad replies, and at once when the meter rejects a message type', () => {
    const handshake = createFreestyleHandshake();
    expect(handshake.onItems([linkItem('init', '')]).send).toHaveLength(1);
    for (let i = 0; i < MAX_RETRIES; i++) expect(handshake.onItems([linkItem('bad-reply', '')])).toMatchObject({ send: [expect.any(Uint8Array)], done: false });
    expect(handshake.onItems([linkItem('bad-reply', '')])).toEqual({ send: [], done: true });
    const other = createFreestyleHandshake();
    expect(other.onItems([linkItem('rejected-command', '')])).toEqual({ send: [], done: true });
  });

  it('still asks for the results when the meter refuses $serlnum?', () => {
    const handshake = createFreestyleHandshake();
    handshake.onItems([linkItem('init', '')]);
    const { send, done } = handshake.onItems([linkItem('failed', '')]);
    expect(send.map(describeHost)).toEqual(['$result?']);
    expect(done).toBe(false);
    expect(handshake.onItems([linkItem('results', '', { count: 0 })]).send.map(describeHost)).toEqual(['$date?']);
  });
});
