import { implausibility, vitals } from '../../../app/terminology/vitals';
import type { DecodeStep, DecodedItem, DeviceStatus } from '../decoder';
import { toHex } from '../decoder';
import type { ScaleReport } from './report';
import { DATA_REPORT_ID, REPORT_SIZE, readReport, scaleStatus } from './report';
import { toKilograms } from './units';

/** The item contract caps raw hex at 16 384 characters, so a long run of foreign reports is reported in pieces. */
const MAX_RAW_BYTES = 4092; // a whole number of reports

/** Scale states other than a stable weight: how the screen shows each, and what the scale said. */
const states: Readonly<Record<number, [DeviceStatus['status'], string]>> = {
  [scaleStatus.fault]: ['probe-error', 'fault'],
  [scaleStatus.zero]: ['ok', 'zero'],
  [scaleStatus.inMotion]: ['searching', 'in-motion'],
  [scaleStatus.underZero]: ['probe-error', 'under-zero'],
  [scaleStatus.overWeight]: ['probe-error', 'over-capacity'],
  [scaleStatus.needsCalibration]: ['probe-error', 'needs-calibration'],
  [scaleStatus.needsRezeroing]: ['probe-error', 'needs-rezeroing'],
};

const error = (code: 'unsupported' | 'implausible' | 'garbled', reason: string, raw: string): DecodedItem => ({ type: 'error', error: { code, reason, raw } });

/** What one data report means, keyed so the decoder keeps only the latest of each kind per call. */
function interpret(report: ScaleReport, raw: string): [key: string, item: DecodedItem] {
  const state = states[report.status];
  if (state) {
    const [status, scale] = state;
    return [`status:${scale}`, { type: 'status', status: { status, detail: { scale }, raw } }];
  }
  if (report.status !== scaleStatus.stable) return ['unsupported', error('unsupported', `The scale sent status ${report.status}, which this driver does not know.`, raw)];
  const kg = toKilograms(report.weight, report.exponent, report.unit);
  if (kg === undefined) return ['unsupported', error('unsupported', `The scale weighs in unit ${report.unit}, which this driver does not convert.`, raw)];
  const why = implausibility('bodyWeight', kg);
  if (why !== undefined) return ['implausible', error('implausible', `The scale sent a weight of ${kg} kg: ${why}.`, raw)];
  return ['reading', { type: 'reading', reading: { kind: 'bodyWeight', code: vitals.bodyWeight.loinc, value: kg, unit: 'kg', raw } }];
}

/**
 * Decodes whole 6-byte scale reports (a trailing part report is left for the
 * next call). Pure: at most one item per kind per call (the latest stable
 * weight, the latest of each state), in report order, because the scale
 * repeats its report several times a second. Reports that are not data
 * report 3 are `garbled`, one item per run.
 */
export function decodeHidScale(bytes: Uint8Array): DecodeStep {
  const consumed = bytes.length - (bytes.length % REPORT_SIZE);
  const latest = new Map<string, { at: number; item: DecodedItem }>();
  const skipped: { at: number; item: DecodedItem }[] = [];
  let garbageFrom = -1;
  const flushGarbage = (to: number) => {
    for (let from = garbageFrom; from >= 0 && from < to; from += MAX_RAW_BYTES) {
      const raw = toHex(bytes.subarray(from, Math.min(to, from + MAX_RAW_BYTES)));
      skipped.push({ at: from, item: error('garbled', 'Reports from the scale that are not weight data were skipped.', raw) });
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
    const [key, item] = interpret(report, toHex(bytes.subarray(at, at + REPORT_SIZE)));
    latest.set(key, { at, item });
  }
  flushGarbage(consumed);
  const items = [...skipped, ...latest.values()].sort((a, b) => a.at - b.at).map((p) => p.item);
  return { consumed, items };
}
