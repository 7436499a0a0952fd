import { buildReport, latin1, MessageType, parseReport, textCommand, textReports } from './reports';
import { byteSum, hex8 } from './text';

/**
 * A FreeStyle Precision Neo as pure functions: the input reports it sends
 * for a given memory and the host reports it expects. Used by the tests, the
 * fixture and `npm run simulate`.
 *
 * Framing, checksums and the fields the decoder reads follow the sources in
 * README.md; no capture of a real `$result?` reply was available, so the
 * fields nobody has decoded are written as 0 here.
 */
export interface StoredResult {
  /** Whole mg/dL, or HI / LO beyond the strip's range. */
  value: number | 'HI' | 'LO';
  /** Local meter time, `YYYY-MM-DDTHH:MM`, year 2000-2099. */
  time: string;
  control?: boolean;
}

export interface SimulatedMeter {
  serial: string;
  results: StoredResult[];
  /**
   * The meter's clock, local `YYYY-MM-DDTHH:MM`, answered to `$date?` and
   * `$time?`; `null` for a clock that lost its power (255 in every field).
   * Without one the meter answers those commands `CMD Fail!`, as it does any
   * command it does not know.
   */
  clock?: string | null;
  /** Send a 0x22 keepalive after every n-th report of a reply, as some meters do. */
  keepaliveEvery?: number;
}

export const exampleMeter: SimulatedMeter = {
  serial: 'SIMNEO1-00042',
  clock: '2024-03-05T09:30',
  results: [
    { value: 118, time: '2024-03-04T19:05' },
    { value: 96, time: '2024-03-04T07:40' },
    { value: 130, time: '2024-03-03T12:10', control: true },
  ],
};

const two = (n: number): string => String(n).padStart(2, '0');
/** A date as the meter's local clock shows it: `YYYY-MM-DDTHH:MM`. */
const meterTime = (at: Date): string => `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
const before = (now: Date, minutes: number): string => meterTime(new Date(now.getTime() - minutes * 60_000));

/**
 * A meter used this week, for the browser-mode demo and end-to-end tests:
 * times relative to `now`, newest first as the meter lists them, with a
 * result above the strip's range (HI) and one below it (LO), both
 * emergencies, and one from last month. Its clock is `now` moved by
 * `clockOffsetMinutes` (positive: the meter runs ahead), so a demo or a test
 * can show a meter whose clock is wrong.
 */
export function recentMeter(now: Date, clockOffsetMinutes = 0): SimulatedMeter {
  return {
    serial: 'SIMNEO1-00077',
    clock: before(now, -clockOffsetMinutes),
    results: [
      { value: 'HI', time: before(now, 20) },
      { value: 112, time: before(now, 3 * 60) },
      { value: 'LO', time: before(now, 2 * 24 * 60) },
      { value: 140, time: before(now, 30 * 24 * 60) },
    ],
  };
}

/** One type-7 record: 7,id,month,day,yy,hour,minute,0,value,0,patient, then eight unknown fields. */
export function glucoseRecord(result: StoredResult, id: number): string {
  const [, y = 0, mo = 0, d = 0, h = 0, mi = 0] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(result.time)?.map(Number) ?? [];
  const fields = [7, id, mo, d, y - 2000, h, mi, 0, result.value, 0, result.control ? 0 : 1, 0, 0, 0, 0, 0, 0, 0, 0];
  return fields.join(',');
}

/** A whole text reply: message, CKSM line, CMD line. */
export const textReply = (message: string, ok = true): string => `${message}CKSM:${hex8(byteSum(message))}\r\nCMD ${ok ? 'OK' : 'Fail!'}\r\n`;

/** The message of a `$result?` reply: the records, then their count and checksum, or "Log Empty". */
export function resultsMessage(meter: SimulatedMeter): string {
  if (meter.results.length === 0) return 'Log Empty\r\n';
  const body = meter.results.map((r, i) => `${glucoseRecord(r, meter.results.length - i)}\r\n`).join('');
  return `${body}${meter.results.length},${hex8(byteSum(body))}\r\n`;
}

function withKeepalives(meter: SimulatedMeter, reports: Uint8Array[]): Uint8Array[] {
  const every = meter.keepaliveEvery;
  if (!every) return reports;
  return reports.flatMap((r, i) => ((i + 1) % every === 0 ? [r, buildReport(MessageType.keepalive, Uint8Array.of(0x05))] : [r]));
}

/**
 * The messages of the `$date?` and `$time?` replies: month,day,yy and
 * hour,minute without leading zeros (the form glucometerutils writes when it
 * sets the clock), or 255 in every field for a clock that is not set.
 */
export function clockMessages(clock: string | null): { date: string; time: string } {
  if (clock === null) return { date: '255,255,255\r\n', time: '255,255\r\n' };
  const [, y = 0, mo = 0, d = 0, h = 0, mi = 0] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(clock)?.map(Number) ?? [];
  return { date: `${mo},${d},${y - 2000}\r\n`, time: `${h},${mi}\r\n` };
}

/** The message the meter answers a text command with, or undefined for `CMD Fail!`. */
function answer(meter: SimulatedMeter, command: string): string | undefined {
  if (command === '$serlnum?') return `${meter.serial}\r\n`;
  if (command === '$result?') return resultsMessage(meter);
  if (meter.clock === undefined) return undefined;
  if (command === '$date?') return clockMessages(meter.clock).date;
  if (command === '$time?') return clockMessages(meter.clock).time;
  return undefined;
}

/** The meter's answer to one host report. It keeps no state: every command has one answer. */
export function meterRespond(meter: SimulatedMeter, hostReport: Uint8Array): Uint8Array[] {
  const report = parseReport(hostReport);
  if (!report) return [];
  if (report.type === MessageType.init) return [buildReport(MessageType.initReply, Uint8Array.of(0x01))];
  if (report.type !== MessageType.text) return [buildReport(MessageType.unknownMessage, Uint8Array.of(0x85))];
  const message = answer(meter, latin1(report.payload).replace(/\r\n$/, ''));
  return withKeepalives(meter, textReports(message === undefined ? textReply('', false) : textReply(message)));
}

/**
 * The host reports an undisturbed download consists of: INIT, serial,
 * results, then the clock; a meter that refuses `$date?` is not asked `$time?`.
 */
export const hostReports = (meter: SimulatedMeter): Uint8Array[] => [
  buildReport(MessageType.init),
  textCommand('$serlnum?'),
  textCommand('$result?'),
  textCommand('$date?'),
  ...(meter.clock === undefined ? [] : [textCommand('$time?')]),
];

/** Every input report of an undisturbed download, in order. */
export const transferReports = (meter: SimulatedMeter): Uint8Array[] => hostReports(meter).flatMap((host) => meterRespond(meter, host));
