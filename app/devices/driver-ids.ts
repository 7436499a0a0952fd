/** The driver ids, as the CLI and the manifest name them. */
export const driverIds = ['cms50d', 'contour-next', 'freestyle', 'onetouch-ultra2', 'hid-scale'] as const;
export type DriverId = (typeof driverIds)[number];
