import { ACK, ENQ, EOT, NAK, buildFrame, nextFrameNumber } from '../astm/e1381';
import { outputReport, toInputReports } from './reports';

/**
 * A Contour Next USB meter in data-transfer mode, as pure functions: which
 * input reports it sends for a given memory, and what it expects back. Used
 * by the tests, the fixture and `npm run simulate`.
 *
 * Record layouts follow real records quoted in glucodump and glucometerutils
 * tests; the settings string in the header is copied from one of them, the
 * password, serial and results are made up.
 */
export interface StoredResult {
  /** Value as the meter prints it: whole mg/dL, or mmol/L with one decimal. */
  value: string;
  unit: 'mg/dL' | 'mmol/L';
  /** Local meter time, `YYYY-MM-DDTHH:MM`. */
  time: string;
  /** `/`-separated markers, e.g. `B` before food, `C` control solution, `>` above range. */
  markers?: string;
}

export interface SimulatedMeter {
  product: string;
  serial: string;
  unit: 'mg/dL' | 'mmol/L';
  /** Meter clock, `YYYY-MM-DDTHH:MM`. */
  clock: string;
  results: StoredResult[];
}

export const exampleMeter: SimulatedMeter = {
  product: 'Bayer7410',
  serial: '7410-0000042',
  unit: 'mg/dL',
  clock: '2024-03-05T09:30',
  results: [
    { value: '104', unit: 'mg/dL', time: '2024-03-04T07:15', markers: 'B' },
    { value: '162', unit: 'mg/dL', time: '2024-03-04T13:02', markers: 'A/Z8' },
    { value: '98', unit: 'mg/dL', time: '2024-03-04T18:40', markers: 'C' },
  ],
};

const stamp = (time: string): string => time.replace(/[-T:]/g, '');

/** The E1394 records of one transfer: header, patient, results, terminator. */
export function meterRecords(meter: SimulatedMeter): string[] {
  const u = meter.unit === 'mg/dL' ? 0 : 1;
  const header =
    `H|\\^&||sim0pw|${meter.product}^01.24\\01.04\\09.02.20^${meter.serial}^7403-|` +
    `A=1^C=63^G=1^I=0200^R=0^S=1^U=${u}^V=10600^X=070070070070180130150250^Y=360126090050099050300089^Z=1|` +
    `${meter.results.length}||||||1|${stamp(meter.clock)}`;
  const results = meter.results.map((r, i) => `R|${i + 1}|^^^Glucose|${r.value}|${r.unit}^P||${r.markers ?? ''}||${stamp(r.time)}`);
  return [header, 'P|1', ...results, 'L|1||N'];
}

/** The meter's messages in order: ENQ, one frame per record (FN 1, 2, … 7, 0 …), EOT. */
export function meterMessages(meter: SimulatedMeter): Uint8Array[] {
  const records = meterRecords(meter);
  let fn = 1;
  const frames = records.map((text, i) => {
    const frame = buildFrame(fn, text, i === records.length - 1);
    fn = nextFrameNumber(fn);
    return frame;
  });
  return [Uint8Array.of(ENQ), ...frames, Uint8Array.of(EOT)];
}

/** Every input report of an undisturbed transfer, in order. */
export function transferReports(meter: SimulatedMeter): Uint8Array[] {
  return meterMessages(meter).flatMap(toInputReports);
}

/**
 * The host reports an undisturbed transfer takes: one ACK per meter message,
 * each prompting it: the first (the handshake's start) the ENQ, the others
 * answering the ENQ and each frame.
 */
export function hostReports(meter: SimulatedMeter): Uint8Array[] {
  return meterMessages(meter).map(() => outputReport(Uint8Array.of(ACK)));
}

/** Where the meter is: the index of the message it sent last (-1 before any). */
export interface MeterState {
  sent: number;
}

export const initialMeterState: MeterState = { sent: -1 };

/**
 * The meter's answer to one host report: ACK moves it to its next message,
 * NAK makes it send the last one again, anything else it ignores. After EOT
 * it says nothing more.
 */
export function meterRespond(meter: SimulatedMeter, state: MeterState, hostReport: Uint8Array): { state: MeterState; reports: Uint8Array[] } {
  const messages = meterMessages(meter);
  const byte = hostReport[3] === 1 ? hostReport[4] : undefined;
  const last = messages[state.sent];
  if (byte === NAK && last && state.sent < messages.length - 1) return { state, reports: toInputReports(last) };
  const next = messages[state.sent + 1];
  if (byte === ACK && next) return { state: { sent: state.sent + 1 }, reports: toInputReports(next) };
  return { state, reports: [] };
}
