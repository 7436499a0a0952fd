import { implausibility, vitals } from '../../../app/terminology/vitals';
import { boundedRaw, type DecodedItem } from '../decoder';
import { ascii } from './reports';
import { toHex } from '../../../app/crypto/bytes';

/**
 * `$result?` records of the FreeStyle Precision Neo / Optium Neo family
 * (glucometer-protocols "freestyle-precision-neo", glucometerutils
 * `fsprecisionneo.py`, tidepool `abbottFreeStyleNeo.js`). Comma-separated;
 * the first field is the record type, 7 being blood glucose:
 *
 *   7,id,month,day,yy,hour,minute,?,value,?,patient,…   (19 fields)
 *
 * `value` is whole mg/dL on every meter of the family, whatever unit it
 * displays (tidepool: "values are always in mg/dL"; glucometerutils reports
 * mg/dL unconditionally), or HI / LO beyond the strip's range. Field 11
 * (`patient`) is 0 for a control-solution test (tidepool; not documented
 * elsewhere). Year is 2000 + yy. Other record types (9 ketone, 10 insulin,
 * 6 time change…) are kept as `unsupported`.
 */
const GLUCOSE = '7';

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const two = (n: number): string => String(n).padStart(2, '0');

function recordTime(f: string[]): string | undefined {
  const parts = f.slice(2, 7);
  if (parts.length !== 5 || !parts.every((p) => /^\d{1,2}$/.test(p))) return undefined;
  const [month = 0, day = 0, yy = 0, hour = 0, minute = 0] = parts.map(Number);
  const year = 2000 + yy;
  const ok = month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59;
  return ok ? `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:00` : undefined;
}

const unsupported = (reason: string, raw: string): DecodedItem => ({ type: 'error', error: { code: 'unsupported', reason, raw } });

/**
 * The FreeStyle Precision Neo's measuring range in mg/dL (Abbott's user
 * manual: 20-500 mg/dL; "HI" above, "LO" below). A HI or LO result is a
 * reading at that limit with a comparator, never dropped.
 */
export const freestyleRange = { low: 20, high: 500 } as const;

/**
 * Longer than any record of this layout (about 50 characters): a longer line
 * is not read, so no field of it can outgrow the item contract's limits.
 */
const MAX_RECORD = 256;

/** Items for one record line; `raw` is the line itself (its checksums were verified with the reply). */
export function recordItems(line: string): DecodedItem[] {
  if (line.length > MAX_RECORD) return [{ type: 'error', error: { code: 'unsupported', ...boundedRaw(ascii(line), 'A record far longer than any this driver reads.') } }];
  const raw = toHex(ascii(line));
  const f = line.split(',');
  if (f[0] !== GLUCOSE) return [unsupported(`A type ${f[0] ?? ''} record, which this driver does not read.`, raw)];
  const time = recordTime(f);
  if (!time) return [unsupported('A glucose record without a valid date and time.', raw)];
  const valueText = f[8] ?? '';
  const patient = f[10] ?? '';
  if (!/^\d+$/.test(patient)) return [unsupported('A glucose record without its control-solution field.', raw)];
  const flagged = valueText === 'HI' ? ({ comparator: '>', value: freestyleRange.high } as const) : valueText === 'LO' ? ({ comparator: '<', value: freestyleRange.low } as const) : undefined;
  if (!flagged && !/^\d+$/.test(valueText)) return [unsupported('A glucose record whose value is not a number.', raw)];
  const value = flagged?.value ?? Number(valueText);
  if (Number(patient) === 0) {
    return [{ type: 'status', status: { status: 'ok', detail: { excluded: 'control-solution', value, unit: 'mg/dL', time, record: f[1] ?? '' }, raw } }];
  }
  const reading = { kind: 'glucoseMass', code: vitals.glucoseMass.loinc, value, unit: vitals.glucoseMass.unit, time, raw } as const;
  if (flagged) return [{ type: 'reading', reading: { ...reading, comparator: flagged.comparator } }];
  if (value < freestyleRange.low || value > freestyleRange.high) {
    const reason = `Glucose ${value} mg/dL without a HI or LO flag is outside the meter's range (${freestyleRange.low}-${freestyleRange.high} mg/dL).`;
    return [{ type: 'error', error: { code: 'out_of_range', reason, raw } }];
  }
  const why = implausibility('glucoseMass', value);
  if (why) return [{ type: 'error', error: { code: 'out_of_range', reason: `Glucose ${value} mg/dL is ${why}.`, raw } }];
  return [{ type: 'reading', reading }];
}
