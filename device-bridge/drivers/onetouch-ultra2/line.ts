import { implausibility, vitals } from '../../../app/terminology/vitals';
import type { DecodedItem, DecodeError } from '../decoder';
import { ultra2Checksum } from './checksum';
import { clockItem } from './clock';
import { localTime } from './local-time';
import { toHex } from '../../../app/crypto/bytes';

/**
 * What one complete line from the meter means: the DMP header (count,
 * serial, unit), one stored result, the DMF answer (the meter's clock), or an
 * error. The checksum is checked before anything in the line is believed.
 */
const LINE = /^(.*) ([0-9A-F]{4})\r?\n$/s;
const HEADER = /^P (\d{3}),"([0-9A-Z]{9})","(MG\/DL |MMOL\/L)"$/;
const RECORD = /^P "([A-Z]{3})","(\d{2})\/(\d{2})\/(\d{2})","(\d{2}):(\d{2}):(\d{2}) {3}","([C ])(.{4})([? ])","[NBA]","\d{2}", 00$/;

const error = (code: DecodeError['code'], reason: string, raw: string): DecodedItem => ({ type: 'error', error: { code, reason, raw } });

/** The OneTouch Ultra 2's measuring range (LifeScan's owner's booklet: 20-600 mg/dL; "HI" above, "LO" below). */
export const ultra2Range = { low: 20, high: 600 } as const;
const offScale: Readonly<Record<string, { comparator: '>' | '<'; value: number }>> = {
  HIGH: { comparator: '>', value: ultra2Range.high },
  LOW: { comparator: '<', value: ultra2Range.low },
};

function record(match: RegExpExecArray, raw: string): DecodedItem {
  const [, , month = '', day = '', year = '', hour = '', minute = '', second = '', control, result = '', flag] = match;
  if (control === 'C') return error('unsupported', 'A control-solution test, not a patient result: not stored.', raw);
  if (flag === '?') return error('unsupported', 'The meter marked this result with "?": not stored.', raw);
  const flagged = offScale[result.trim()];
  const digits = /^ (\d{3})$/.exec(result);
  if (!flagged && !digits) return error('unsupported', `The meter recorded "${result}", which this driver does not know.`, raw);
  const time = localTime(Number(month), Number(day), Number(year), Number(hour), Number(minute), Number(second));
  if (time === undefined) return error('unsupported', 'The result carries a date or time that does not exist.', raw);
  const reading = { kind: 'glucoseMass', code: vitals.glucoseMass.loinc, unit: 'mg/dL', time, raw } as const;
  // HIGH / LOW: beyond the meter's range, a reading at its limit with a comparator, never dropped.
  if (flagged) return { type: 'reading', reading: { ...reading, value: flagged.value, comparator: flagged.comparator } };
  // The dump is in mg/dL whatever unit the meter displays (glucometerutils, tidepool-org/uploader).
  const value = Number(digits?.[1]);
  if (value < ultra2Range.low || value > ultra2Range.high) {
    const reason = `The meter sent a glucose of ${value} mg/dL without a HIGH or LOW flag, outside its range (${ultra2Range.low}-${ultra2Range.high} mg/dL).`;
    return error('out_of_range', reason, raw);
  }
  const why = implausibility('glucoseMass', value);
  if (why !== undefined) return error('out_of_range', `The meter sent a glucose of ${value} mg/dL: ${why}.`, raw);
  return { type: 'reading', reading: { ...reading, value } };
}

/** `line` runs from its "P " to its LF inclusive. */
export function parseLine(line: Uint8Array): DecodedItem {
  const raw = toHex(line);
  const text = String.fromCharCode(...line);
  const framed = LINE.exec(text);
  if (!framed) return error('garbled', 'A line from the meter without the four-digit checksum was skipped.', raw);
  const body = framed[1] ?? '';
  const given = parseInt(framed[2] ?? '', 16);
  if (ultra2Checksum(line.subarray(0, body.length)) !== given) {
    return error('checksum', 'A line from the meter failed its checksum and was not used.', raw);
  }
  const header = HEADER.exec(body);
  if (header) {
    const [, count = '', serial = '', unit = ''] = header;
    return { type: 'status', status: { status: 'header', detail: { count: Number(count), serial, unit: unit.trim() }, raw } };
  }
  const result = RECORD.exec(body);
  if (result) return record(result, raw);
  const clock = clockItem(body, raw);
  if (clock) return clock;
  return error('unsupported', 'A line from the meter that is neither the dump header, a stored result nor its clock.', raw);
}
