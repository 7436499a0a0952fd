import { z } from 'zod';
import { vitalKinds } from '../terminology/vitals';
import { driverIds } from './driver-ids';

/**
 * What a device driver produces, as it crosses from the main process to the
 * screen: the schemas are the contract, the types are inferred from them.
 */
export const decodeErrorCodes = ['checksum', 'garbled', 'truncated', 'out_of_range', 'unsupported'] as const;

/**
 * A result the device itself flags as beyond what it can measure (a
 * glucometer's HI and LO): `>` above its range, `<` below, and the reading's
 * value is then the device's limit, not a measurement. Such a result is never
 * dropped and never shown or stored as an ordinary number: very high and very
 * low glucose are both emergencies.
 */
export const comparators = ['>', '<'] as const;
export type Comparator = (typeof comparators)[number];

/**
 * Most bytes an item's `raw` holds (as hex, twice as many characters). An item
 * over it fails the contract and takes its whole event with it, so a decoder
 * gives each reading the bytes of its own record and bounds any `raw` that
 * covers a message of arbitrary length (device-bridge/drivers/decoder.ts
 * `boundedRaw`); nothing may carry a whole download.
 */
export const maxRawBytes = 8_192;

const hex = z.string().regex(/^[0-9a-f]*$/).max(maxRawBytes * 2);

export const decodedReadingSchema = z
  .object({
    kind: z.enum(vitalKinds as [(typeof vitalKinds)[number], ...(typeof vitalKinds)[number][]]),
    code: z.string().regex(/^\d{1,7}-\d$/),
    value: z.number().finite(),
    unit: z.string().min(1).max(20),
    time: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/).optional(),
    /** Set for a result beyond the device's range; `value` is then the range's limit. */
    comparator: z.enum(comparators).optional(),
    raw: hex,
  })
  .strict();

export const decodeErrorSchema = z.object({ code: z.enum(decodeErrorCodes), reason: z.string().max(500), raw: hex }).strict();

export const deviceStatusSchema = z
  .object({
    status: z.enum(['finger-out', 'probe-error', 'searching', 'ok', 'header', 'end']),
    detail: z.record(z.string(), z.union([z.string().max(200), z.number()])).optional(),
    raw: hex,
  })
  .strict();

export const decodedItemSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reading'), reading: decodedReadingSchema }).strict(),
  z.object({ type: z.literal('waveform'), samples: z.array(z.number().finite()).max(4096), raw: hex }).strict(),
  z.object({ type: z.literal('status'), status: deviceStatusSchema }).strict(),
  z.object({ type: z.literal('error'), error: decodeErrorSchema }).strict(),
]);

export type DecodeErrorCode = (typeof decodeErrorCodes)[number];
export type DecodeError = z.infer<typeof decodeErrorSchema>;
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;
export type DecodedItem = z.infer<typeof decodedItemSchema>;

export const deviceIdentitySchema = z
  .object({ driver: z.enum(driverIds), manufacturer: z.string().max(100), model: z.string().max(100), serial: z.string().max(100).optional() })
  .strict();
/** Who made the measurement: becomes a FHIR Device. */
export type DeviceIdentity = z.infer<typeof deviceIdentitySchema>;

/**
 * One measured value as a decoder produces it: coded (LOINC from the vital's
 * table entry), in UCUM, with the raw frame it came from for audit. `time` is
 * the device's own clock when it gives one (stored results).
 */
export type DecodedReading = z.infer<typeof decodedReadingSchema>;

/** A reading as it reaches the capture screen: with its device and its arrival time. */
export const deviceReadingSchema = decodedReadingSchema.extend({ device: deviceIdentitySchema, receivedAt: z.iso.datetime() }).strict();
export type DeviceReading = z.infer<typeof deviceReadingSchema>;
