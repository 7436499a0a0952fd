import { DATA_REPORT_ID, scaleStatus } from './report';
import type { ScaleUnit } from './units';
import { unitCodes } from './units';

/**
 * The input reports a HID POS scale sends, for tests, fixtures and the
 * simulator command. Pure: the same options give the same reports.
 */
export interface ScaleReportFields {
  status: number;
  /** A unit code (1-12), as the report carries it. */
  unit: number;
  /** The scaling exponent, -128 to 127. */
  exponent: number;
  /** The raw weight count, 0-65535. */
  weight: number;
  reportId?: number;
}

function check(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be an integer from ${min} to ${max}, not ${value}`);
  return value;
}

export function scaleReport(f: ScaleReportFields): Uint8Array {
  const weight = check('weight', f.weight, 0, 0xffff);
  return Uint8Array.of(
    check('reportId', f.reportId ?? DATA_REPORT_ID, 0, 255),
    check('status', f.status, 0, 255),
    check('unit', f.unit, 0, 255),
    check('exponent', f.exponent, -128, 127) & 0xff,
    weight & 0xff,
    weight >> 8,
  );
}

export interface WeighingOptions {
  /** The raw count the scale settles on, e.g. 724 with exponent -1 for 72.4. */
  weight: number;
  unit: ScaleUnit;
  exponent: number;
  /** In-motion reports while the patient steps on (default 3). */
  settling?: number;
  /** Stable reports once settled (default 2). */
  stable?: number;
}

/** A patient stepping on: the empty scale at zero, the needle moving up, then the settled weight. */
export function scaleWeighing(o: WeighingOptions): Uint8Array[] {
  const unit = unitCodes[o.unit];
  const settling = o.settling ?? 3;
  const reports = [scaleReport({ status: scaleStatus.zero, unit, exponent: o.exponent, weight: 0 })];
  for (let n = 1; n <= settling; n++) {
    // Overshoot a little and come back, as a platform does.
    const weight = Math.min(0xffff, Math.round((o.weight * n * 1.05) / settling) - (n === settling ? Math.round(o.weight * 0.02) : 0));
    reports.push(scaleReport({ status: scaleStatus.inMotion, unit, exponent: o.exponent, weight }));
  }
  for (let n = 0; n < (o.stable ?? 2); n++) reports.push(scaleReport({ status: scaleStatus.stable, unit, exponent: o.exponent, weight: o.weight }));
  return reports;
}
