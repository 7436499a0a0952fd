import { describe, expect, it } from 'vitest';
import { meterClockOffset } from '../../../app/devices/result-times';
import type { DecodedItem } from '../decoder';
import { createDeviceStream } from '../device-stream';
import { decodeUltra2 } from './decoder';
import { onetouchUltra2Driver } from './index';
import { CLOCK_COMMAND, createUltra2Handshake, DUMP_COMMAND } from './handshake';
import { clockAt, heardCommands, ultra2ClockLine, ultra2Dump, ultra2Header, ultra2RecordLine, ultra2Respond, type Ultra2Meter } from './simulator';

const records = [
  { time: '2024-03-21T16:45:24', value: 81 },
  { time: '2024-03-21T16:42:11', value: 105, control: true },
] as const;

const meter: Ultra2Meter = { serial: 'ZZA1234BY', unit: 'mg/dL', records: [...records], clock: '2024-03-22T09:30:05' };
const text = (bytes: Uint8Array) => String.fromCharCode(...bytes);

/**
 * Runs the handshake against the simulated meter, as the device manager does:
 * every command sent, the meter's answer through the driver's device stream.
 * `tamper` may alter each answer on its way in.
 */
function run(m: Ultra2Meter, tamper: (answer: Uint8Array, command: string) => Uint8Array = (a) => a) {
  const handshake = createUltra2Handshake();
  const stream = createDeviceStream(onetouchUltra2Driver);
  const outbox = handshake.start();
  const sent: string[] = [];
  const items: DecodedItem[] = [];
  let done = false;
  while (!done && outbox.length > 0 && sent.length < 10) {
    const [command = ''] = heardCommands(text(outbox.shift()!)).commands;
    sent.push(command);
    const got = stream.push(tamper(ultra2Respond(m, command), command));
    items.push(...got);
    const reply = handshake.onItems(got);
    outbox.push(...reply.send);
    done ||= reply.done;
  }
  return { sent, items, done };
}

const headers = (items: DecodedItem[]) => items.flatMap((i) => (i.type === 'status' && i.status.status === 'header' ? [i.status.detail ?? {}] : []));
const readingValues = (items: DecodedItem[]) => items.flatMap((i) => (i.type === 'reading' ? [i.reading.value] : []));

describe('OneTouch Ultra 2 handshake', () => {
  it('sends DC1 CR then DMP CR, and DC1 CR DMF CR for the clock', () => {
    expect(Array.from(createUltra2Handshake().start()[0] ?? [])).toEqual([0x11, 0x0d, 0x44, 0x4d, 0x50, 0x0d]);
    expect(DUMP_COMMAND).toHaveLength(6);
    expect(Array.from(CLOCK_COMMAND)).toEqual([0x11, 0x0d, 0x44, 0x4d, 0x46, 0x0d]);
  });

  it('asks for the clock once the announced number of result lines has arrived, refused ones included, and is done at the clock', () => {
    const handshake = createUltra2Handshake();
    const header = ultra2Header({ count: 2, serial: 'ZZA1234BY', unit: 'mg/dL' });
    expect(handshake.onItems(decodeUltra2(header).items)).toEqual({ send: [], done: false });
    expect(handshake.onItems(decodeUltra2(ultra2RecordLine(records[0])).items)).toEqual({ send: [], done: false });
    expect(handshake.onItems(decodeUltra2(ultra2RecordLine(records[1])).items)).toEqual({ send: [CLOCK_COMMAND], done: false });
    expect(handshake.onItems(decodeUltra2(ultra2ClockLine('2024-03-22T09:30:05')).items)).toEqual({ send: [], done: true });
  });

  it('asks for the clock at once for an empty memory', () => {
    const handshake = createUltra2Handshake();
    expect(handshake.onItems(decodeUltra2(ultra2Dump({ serial: 'ZZA1234BY', unit: 'mg/dL', records: [] })).items)).toEqual({ send: [CLOCK_COMMAND], done: false });
  });

  it('stops when the header fails its checksum, since the count is unknown', () => {
    const header = Uint8Array.from(ultra2Header({ count: 2, serial: 'ZZA1234BY', unit: 'mg/dL' }));
    header[3] = 0x39; // "P 092,..." no longer matches its checksum
    expect(createUltra2Handshake().onItems(decodeUltra2(header).items)).toEqual({ send: [], done: true });
  });

  it('gives the meter’s clock as a header with meterTime after the dump’s header, so the screen keeps it', () => {
    const { sent, items, done } = run(meter);
    expect(done).toBe(true);
    expect(sent).toEqual(['DMP', 'DMF']);
    expect(readingValues(items)).toEqual([81]);
    expect(headers(items)).toEqual([{ count: 2, serial: 'ZZA1234BY', unit: 'MG/DL' }, { meterTime: '2024-03-22T09:30:05' }]);
  });

  it('shows a meter clock 2 hours behind the workstation’s as off, and one on time as not', () => {
    const now = new Date(2025, 5, 15, 12, 0, 0);
    const meterTime = (offset: number) => String(headers(run({ ...meter, clock: clockAt(now, offset) }).items).at(-1)?.meterTime);
    expect(meterTime(-120)).toBe('2025-06-15T10:00:00');
    expect(meterClockOffset(meterTime(-120), now)).toBe(-2 * 60 * 60 * 1000);
    expect(meterClockOffset(meterTime(0), now)).toBeUndefined();
  });

  it('keeps every result when the clock line arrives corrupted: a checksum error, no meterTime, and the handshake ends', () => {
    const { items, done } = run(meter, (answer, command) => (command === 'DMF' ? answer.map((b, i) => (i === 4 ? 0x39 : b)) : answer));
    expect(done).toBe(true);
    expect(readingValues(items)).toEqual([81]);
    expect(items.flatMap((i) => (i.type === 'error' ? [i.error.code] : []))).toEqual(['unsupported', 'checksum']);
    expect(headers(items).some((h) => 'meterTime' in h)).toBe(false);
  });

  it('keeps every result when the meter never answers DMF: they are all in before it is asked', () => {
    const { sent, items, done } = run(meter, (answer, command) => (command === 'DMF' ? new Uint8Array(0) : answer));
    expect(sent).toEqual(['DMP', 'DMF']);
    expect(done).toBe(false);
    expect(readingValues(items)).toEqual([81]);
  });

  it('has the simulated meter hear each command (DC1 CR, command, CR) however the bytes arrive', () => {
    const all = '\x11\rDMP\r\x11\rDMF\r';
    for (let cut = 0; cut <= all.length; cut++) {
      const first = heardCommands(all.slice(0, cut));
      const second = heardCommands(first.rest + all.slice(cut));
      expect([...first.commands, ...second.commands]).toEqual(['DMP', 'DMF']);
      expect(second.rest).toBe('');
    }
  });
});
