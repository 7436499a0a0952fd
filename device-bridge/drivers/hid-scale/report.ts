/**
 * The 6-byte input report of a USB HID point-of-sale scale (usage page 0x8D,
 * as DYMO M10/M25 send it): report id 3, status, weight unit, scaling
 * exponent (signed), weight (unsigned 16-bit, little-endian). See README.md.
 */
export const REPORT_SIZE = 6;
export const DATA_REPORT_ID = 3;

/** Scale Status selectors 0x71-0x78, as the report numbers them. */
export const scaleStatus = {
  fault: 1,
  zero: 2,
  inMotion: 3,
  stable: 4,
  underZero: 5,
  overWeight: 6,
  needsCalibration: 7,
  needsRezeroing: 8,
} as const;

export interface ScaleReport {
  reportId: number;
  status: number;
  unit: number;
  exponent: number;
  weight: number;
}

/** The fields of the report at `at`; the caller has checked six bytes are there. */
export function readReport(bytes: Uint8Array, at: number): ScaleReport {
  const byte = (k: number) => bytes[at + k] ?? 0;
  const scaling = byte(3);
  return {
    reportId: byte(0),
    status: byte(1),
    unit: byte(2),
    exponent: scaling >= 0x80 ? scaling - 0x100 : scaling,
    weight: byte(4) | (byte(5) << 8),
  };
}
