import { implausibility, vitals, type VitalKind } from '../../../app/terminology/vitals';
import { components, fields, parseTimestamp } from '../astm/e1394';
import type { DecodedItem } from '../decoder';

/** Bayer/Ascensia product codes, as tidepool's bayerConstants.js names them. */
const models: Record<string, string> = {
  Bayer7390: 'Contour USB',
  Contour7390: 'Contour USB',
  Bayer7410: 'Contour Next USB',
  Contour7410: 'Contour Next USB',
  Bayer7350: 'Contour Next',
  Contour7350: 'Contour Next',
  Contour7800: 'Contour Next One',
};

/** The header's `U=` setting: 0 mg/dL, 1 mmol/L (glucometerutils, tidepool, glucodump agree). */
const headerUnits: Record<string, string> = { '0': 'mg/dL', '1': 'mmol/L' };
const kinds: Record<string, VitalKind> = { 'mg/dL': 'glucoseMass', 'mmol/L': 'glucoseMoles' };

const unsupported = (reason: string, raw: string): DecodedItem => ({ type: 'error', error: { code: 'unsupported', reason, raw } });

/**
 * H|\^&||password|product^versions^serial^sku|A=1^…^U=0^…|count||||||spec|YYYYMMDDhhmm
 * Field 4 (sender) names the product and serial; field 5 holds `key=value`
 * settings, `U` being the display unit; field 13 the meter's clock.
 */
export function headerItems(record: string, raw: string): DecodedItem[] {
  const f = fields(record);
  const sender = components(f[4]);
  const product = sender[0] ?? '';
  if (product === '') return [unsupported('A header record without a product code.', raw)];
  const detail: Record<string, string | number> = { model: product };
  const name = models[product];
  if (name) detail.modelName = name;
  if (sender[1]) detail.versions = sender[1];
  if (sender[2]) detail.serial = sender[2];
  const settings = new Map(components(f[5]).flatMap((s) => (s.includes('=') ? [[s.slice(0, s.indexOf('=')), s.slice(s.indexOf('=') + 1)] as const] : [])));
  const unit = headerUnits[settings.get('U') ?? ''];
  if (unit) detail.unit = unit;
  if (/^\d+$/.test(f[6] ?? '')) detail.records = Number(f[6]);
  const clock = parseTimestamp(f[13]);
  if (clock) detail.meterTime = clock;
  return [{ type: 'status', status: { status: 'header', detail, raw } }];
}

/**
 * The Contour Next family's measuring range, in mg/dL (Ascensia's user guides:
 * 20-600 mg/dL, 1.1-33.3 mmol/L). An unflagged result outside it is no result
 * the meter can give.
 */
const measuringRange: Record<string, readonly [number, number]> = { 'mg/dL': [20, 600], 'mmol/L': [1.1, 33.3] };

/**
 * R|seq|^^^Glucose|value|unit^method||markers||YYYYMMDDhhmm
 * Markers are `/`-separated: `C` control solution, `>` above and `<` below
 * the meter's range (the value is then the range limit, not a measurement),
 * the rest are meal and mood tags (B, A, D, I, S, X, Z1-ZC…). A marker is
 * matched whole: tidepool's `indexOf('C')` would also catch `ZC` (3 hours
 * after food) — we do not.
 *
 * A result beyond the range is a reading with a comparator (its value the
 * meter's limit), never dropped: a HI or LO glucose is an emergency.
 */
export function resultItems(record: string, raw: string): DecodedItem[] {
  const f = fields(record);
  const test = components(f[2])[3];
  if (test !== 'Glucose') return [unsupported(`A result for "${test ?? ''}", not glucose.`, raw)];
  const valueText = f[3] ?? '';
  const unit = components(f[4])[0] ?? '';
  const kind = kinds[unit];
  if (!kind) return [unsupported(`A glucose result in an unknown unit "${unit}".`, raw)];
  if (!/^\d+(\.\d+)?$/.test(valueText)) return [unsupported('A glucose result whose value is not a number.', raw)];
  const time = parseTimestamp(f[8]);
  if (!time) return [unsupported('A glucose result without a valid date and time.', raw)];
  const value = Number(valueText);
  const markers = (f[6] ?? '').split('/').filter((m) => m !== '');
  if (markers.includes('C')) {
    return [{ type: 'status', status: { status: 'ok', detail: { excluded: 'control-solution', value, unit, time, record: f[1] ?? '' }, raw } }];
  }
  const reading = { kind, code: vitals[kind].loinc, value, unit: vitals[kind].unit, time, raw };
  const comparator = markers.includes('>') ? '>' : markers.includes('<') ? '<' : undefined;
  if (comparator) return [{ type: 'reading', reading: { ...reading, comparator } }];
  const [low, high] = measuringRange[unit] ?? [-Infinity, Infinity];
  if (value < low || value > high) {
    return [{ type: 'error', error: { code: 'out_of_range', reason: `Glucose ${value} ${unit} without a HI or LO flag is outside the meter's range (${low}-${high} ${unit}).`, raw } }];
  }
  const why = implausibility(kind, value);
  if (why) return [{ type: 'error', error: { code: 'out_of_range', reason: `Glucose ${value} ${unit} is ${why}.`, raw } }];
  return [{ type: 'reading', reading }];
}

/** Items for one record; P (patient) and L (terminator) carry nothing we record. */
export function recordItems(record: string, raw: string): DecodedItem[] {
  switch (record[0]) {
    case 'H':
      return headerItems(record, raw);
    case 'R':
      return resultItems(record, raw);
    case 'P':
    case 'L':
      return [];
    default:
      return [unsupported(`A "${record[0] ?? ''}" record, which this driver does not read.`, raw)];
  }
}
