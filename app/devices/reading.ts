import type { VitalKind } from '../terminology/vitals';

/** The driver ids, as the CLI and the manifest name them. */
export const driverIds = ['cms50d', 'contour-next', 'freestyle', 'onetouch-ultra2', 'hid-scale'] as const;
export type DriverId = (typeof driverIds)[number];

/** Who made the measurement: becomes a FHIR Device. */
export interface DeviceIdentity {
  driver: DriverId;
  manufacturer: string;
  model: string;
  /** When the device reports one. */
  serial?: string;
}

/**
 * One measured value as a decoder produces it: coded (LOINC via the kind's
 * table entry), in UCUM, with the raw frame it came from for audit. `time` is
 * the device's own clock when it gives one (stored results); live values
 * carry the time of arrival, set by the session, not the decoder.
 */
export interface DecodedReading {
  kind: VitalKind;
  code: string;
  value: number;
  unit: string;
  time?: string;
  /** Hex of the bytes of the frame that carried this value. */
  raw: string;
}

/** A reading as it reaches the capture screen: with its device and its arrival time. */
export interface DeviceReading extends DecodedReading {
  device: DeviceIdentity;
  receivedAt: string;
}
