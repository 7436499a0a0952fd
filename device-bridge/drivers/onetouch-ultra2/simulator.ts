import { formatChecksum, ultra2Checksum } from './checksum';

/**
 * The bytes a OneTouch Ultra 2 sends in answer to DMP, for tests, fixtures
 * and the simulator command. Pure: the same records give the same bytes.
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

export function ultra2RecordLine(r: Ultra2Record): Uint8Array {
  const m = /^20(\d{2})-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2})$/.exec(r.time);
  if (!m) throw new RangeError(`not a meter time: ${r.time}`);
  const [, yy = '', mm = '', dd = '', clock = ''] = m;
  const day = DAYS[new Date(Date.UTC(2000 + Number(yy), Number(mm) - 1, Number(dd))).getUTCDay()] ?? 'SUN';
  const comment = String(r.comment ?? 0).padStart(2, '0');
  return ultra2Line(`P "${day}","${mm}/${dd}/${yy}","${clock}   ","${resultField(r)}","${r.meal ?? 'N'}","${comment}", 00`);
}

/** The whole answer to DMP: the header, then one line per record (the meter sends newest first). */
export function ultra2Dump(d: { serial: string; unit: 'mg/dL' | 'mmol/L'; records: Ultra2Record[] }): Uint8Array {
  const lines = [ultra2Header({ count: d.records.length, serial: d.serial, unit: d.unit }), ...d.records.map(ultra2RecordLine)];
  return Uint8Array.from(lines.flatMap((l) => Array.from(l)));
}
