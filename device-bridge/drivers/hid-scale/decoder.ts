import { implausibility, vitals } from '../../../app/terminology/vitals';
import type { DecodeStep, DecodedItem, DeviceStatus } from '../decoder';
import type { ScaleReport } from './report';
import { DATA_REPORT_ID, REPORT_SIZE, readReport, scaleStatus } from './report';
import { toKilograms } from './units';
import { toHex } from '../../../app/crypto/bytes';

/** The item contract caps raw hex at 16 384 characters, so a long run of foreign reports is reported in pieces. */
const MAX_RAW_BYTES = 4092; // a whole number of reports

/** Scale states other than a stable weight: how the screen shows each, and what the scale said. */
const states: Readonly<Record<number, [DeviceStatus['status'], string]>> = {
  [scaleStatus.fault]: ['probe-error', 'fault'],
  [scaleStatus.zero]: ['ok', 'zero'],
  [scaleStatus.inMotion]: ['searching', 'in-motion'],
  [scaleStatus.overWeight]: ['probe-error', 'over-capacity'],
  [scaleStatus.needsCalibration]: ['probe-error', 'needs-calibration'],
  [scaleStatus.needsRezeroing]: ['probe-error', 'needs-rezeroing'],
};

const error = (code: 'unsupported' | 'out_of_range' | 'garbled', reason: string, raw: string): DecodedItem => ({ type: 'error', error: { code, reason, raw } });

/** What one data report means. The scale says it all again several times a second; the device stream passes on what changed. */
function interpret(report: ScaleReport, raw: string): DecodedItem {
  // A weight below zero is not a weighing: refused with what to do, never a reading.
  if (report.status === scaleStatus.underZero) return error('out_of_range', 'The scale reads below zero. Take everything off it and zero it again.', raw);
  const state = states[report.status];
  if (state) {
    const [status, scale] = state;
    return { type: 'status', status: { status, detail: { scale }, raw } };
  }
  if (report.status !== scaleStatus.stable) return error('unsupported', `The scale sent status ${report.status}, which this driver does not know.`, raw);
  const kg = toKilograms(report.weight, report.exponent, report.unit);
  if (kg === undefined) return error('unsupported', `The scale weighs in unit ${report.unit}, which this driver does not convert.`, raw);
  const why = implausibility('bodyWeight', kg);
  if (why !== undefined) return error('out_of_range', `The scale sent a weight of ${kg} kg: ${why}.`, raw);
  return { type: 'reading', reading: { kind: 'bodyWeight', code: vitals.bodyWeight.loinc, value: kg, unit: 'kg', raw } };
}

/**
 * Decodes whole 6-byte scale reports (a trailing part report is left for the
 * next call). Pure: one item per data report, in report order. The scale
 * repeats its report several times a second; the device stream
 * (drivers/repeats.ts) makes one reading of each stable run, across calls.
 * Reports that are not data report 3 are `garbled`, one item per run.
 */
export function decodeHidScale(bytes: Uint8Array): DecodeStep {
  const consumed = bytes.length - (bytes.length % REPORT_SIZE);
  const items: DecodedItem[] = [];
  let garbageFrom = -1;
  const flushGarbage = (to: number) => {
    for (let from = garbageFrom; from >= 0 && from < to; from += MAX_RAW_BYTES) {
      const raw = toHex(bytes.subarray(from, Math.min(to, from + MAX_RAW_BYTES)));
      items.push(error('garbled', 'Reports from the scale that are not weight data were skipped.', raw));
    }
    garbageFrom = -1;
  };
  for (let at = 0; at < consumed; at += REPORT_SIZE) {
    const report = readReport(bytes, at);
    if (report.reportId !== DATA_REPORT_ID) {
      if (garbageFrom < 0) garbageFrom = at;
      continue;
    }
    flushGarbage(at);
    items.push(interpret(report, toHex(bytes.subarray(at, at + REPORT_SIZE))));
  }
  flushGarbage(consumed);
  return { consumed, items };
}
