import { concat } from '../../../app/crypto/bytes';
import { formatChecksum, ultra2Checksum } from './checksum';

/**
 * The bytes a OneTouch Ultra 2 sends in answer to DMP and DMF, for tests,
 * fixtures and the simulator command. Pure: the same records give the same
 * bytes.
 */
export interface Ultra2Record {
  /** The meter's local time, `YYYY-MM-DDTHH:MM:SS`, year 2000-2099. */
  time: string;
  /** mg/dL (the dump is always in mg/dL), or HIGH for above 600. */
  value: number | 'HIGH';
  control?: boolean;
  /** The "?" marker in the result field. */
  flagged?: boolean;
  meal?: 'N' | 'B' | 'A';
  /** Comment code 0-11. */
  comment?: number;
}

const bytesOf = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A line as the meter ends it: a space, the checksum of what came before, CR LF. */
export function ultra2Line(body: string): Uint8Array {
  return bytesOf(`${body} ${formatChecksum(ultra2Checksum(bytesOf(body)))}\r\n`);
}

export function ultra2Header(h: { count: number; serial: string; unit: 'mg/dL' | 'mmol/L' }): Uint8Array {
  if (!/^[0-9A-Z]{9}$/.test(h.serial)) throw new RangeError('the serial number is nine digits or capitals');
  const count = String(h.count).padStart(3, '0');
  return ultra2Line(`P ${count},"${h.serial}","${h.unit === 'mg/dL' ? 'MG/DL ' : 'MMOL/L'}"`);
}

function resultField(r: Ultra2Record): string {
  const value = r.value === 'HIGH' ? 'HIGH' : ` ${String(r.value).padStart(3, '0')}`;
  if (value.length !== 4) throw new RangeError(`a result has at most three digits, not ${r.value}`);
  return `${r.control ? 'C' : ' '}${value}${r.flagged ? '?' : ' '}`;
}

/** `"DDD","MM/DD/YY","HH:MM:SS   "`: how a result line and the clock give a time (`YYYY-MM-DDTHH:MM:SS`, year 2000-2099). */
function meterDateTime(time: string): string {
  const m = /^20(\d{2})-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2})$/.exec(time);
  if (!m) throw new RangeError(`not a meter time: ${time}`);
  const [, yy = '', mm = '', dd = '', clock = ''] = m;
  const day = DAYS[new Date(Date.UTC(2000 + Number(yy), Number(mm) - 1, Number(dd))).getUTCDay()] ?? 'SUN';
  return `"${day}","${mm}/${dd}/${yy}","${clock}   "`;
}

export function ultra2RecordLine(r: Ultra2Record): Uint8Array {
  const comment = String(r.comment ?? 0).padStart(2, '0');
  return ultra2Line(`P ${meterDateTime(r.time)},"${resultField(r)}","${r.meal ?? 'N'}","${comment}", 00`);
}

/** The answer to DMF: `F "DDD","MM/DD/YY","HH:MM:SS   " CCCC` CR LF, the meter's clock. */
export const ultra2ClockLine = (time: string): Uint8Array => ultra2Line(`F ${meterDateTime(time)}`);

/** A meter's memory and its clock. */
export interface Ultra2Meter {
  serial: string;
  unit: 'mg/dL' | 'mmol/L';
  records: Ultra2Record[];
  /** The meter's local clock, `YYYY-MM-DDTHH:MM:SS`, year 2000-2099. */
  clock: string;
}

/** The whole answer to DMP: the header, then one line per record (the meter sends newest first). */
export function ultra2Dump(d: Omit<Ultra2Meter, 'clock'>): Uint8Array {
  const lines = [ultra2Header({ count: d.records.length, serial: d.serial, unit: d.unit }), ...d.records.map(ultra2RecordLine)];
  return concat(lines);
}

/** The meter's answer to one command (`DMP`, `DMF`; what follows DC1 CR); nothing for any other. */
export function ultra2Respond(meter: Ultra2Meter, command: string): Uint8Array {
  if (command === 'DMP') return ultra2Dump(meter);
  if (command === 'DMF') return ultra2ClockLine(meter.clock);
  return new Uint8Array(0);
}

/**
 * The commands in what the meter has heard so far, each sent as DC1 CR,
 * command, CR; `rest` is the start of one not finished yet, to prepend to
 * what comes next.
 */
export function heardCommands(heard: string): { commands: string[]; rest: string } {
  const commands: string[] = [];
  let rest = heard;
  for (;;) {
    const start = rest.indexOf('\x11\r');
    if (start < 0) return { commands, rest: rest.endsWith('\x11') ? '\x11' : '' };
    const end = rest.indexOf('\r', start + 2);
    if (end < 0) return { commands, rest: rest.slice(start) };
    commands.push(rest.slice(start + 2, end));
    rest = rest.slice(end + 1);
  }
}

/** Everything an undisturbed reading run receives: the dump, then the clock. */
export const ultra2Transfer = (meter: Ultra2Meter): Uint8Array => Uint8Array.from([...ultra2Respond(meter, 'DMP'), ...ultra2Respond(meter, 'DMF')]);

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A meter clock `offsetMinutes` away from `now` (positive: the meter runs
 * ahead), in the workstation's local time, so a simulated meter can show a
 * clock that is wrong.
 */
export function clockAt(now: Date, offsetMinutes = 0): string {
  const at = new Date(now.getTime() + offsetMinutes * 60_000);
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}
