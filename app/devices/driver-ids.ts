/** The driver ids, as the CLI and the manifest name them. */
export const driverIds = ['cms50d', 'contour-next', 'freestyle', 'onetouch-ultra2', 'hid-scale'] as const;
export type DriverId = (typeof driverIds)[number];

/**
 * Devices that stream what they measure now, saying it again several times a
 * second (an oximeter, a scale): the nurse confirms live values, and their
 * stream passes on each change once (device-bridge/drivers/repeats.ts). The
 * others are meters whose downloads list stored results for the nurse to pick.
 */
export const liveDriverIds: ReadonlySet<DriverId> = new Set(['cms50d', 'hid-scale']);
