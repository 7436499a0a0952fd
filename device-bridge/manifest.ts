import type { DriverId } from '../app/devices/driver-ids';
import { contourUsbIds } from './drivers/contour-next';
import { freestyleUsbIds } from './drivers/freestyle';
import { hidScaleUsbIds } from './drivers/hid-scale';

/**
 * Which driver can speak to a USB device. HID meters announce their own
 * vendor and product ids; serial devices sit behind a generic USB-serial chip,
 * so a chip only narrows the choice to the serial drivers and the nurse picks
 * the device (the choice is remembered for that port).
 */
export interface ManifestEntry {
  vendorId: number;
  productId: number;
  label: string;
  drivers: readonly DriverId[];
}

const serialDrivers = ['cms50d', 'onetouch-ultra2'] as const satisfies readonly DriverId[];

const hidEntries = (driver: DriverId, manufacturer: string, ids: readonly { vendorId: number; productId: number; model: string }[]): ManifestEntry[] =>
  ids.map(({ vendorId, productId, model }) => ({ vendorId, productId, label: `${manufacturer} ${model}`, drivers: [driver] }));

export const manifest: readonly ManifestEntry[] = [
  // HID devices: each driver lists the USB ids it was written for.
  ...hidEntries('contour-next', 'Ascensia', contourUsbIds),
  ...hidEntries('freestyle', 'Abbott', freestyleUsbIds),
  ...hidEntries('hid-scale', 'Dymo', hidScaleUsbIds),
  // USB-serial chips the serial meters and oximeters ship with.
  { vendorId: 0x0403, productId: 0x6001, label: 'FTDI USB-serial cable', drivers: serialDrivers },
  { vendorId: 0x0403, productId: 0x6015, label: 'FTDI USB-serial cable', drivers: serialDrivers },
  { vendorId: 0x067b, productId: 0x2303, label: 'Prolific PL2303 USB-serial cable', drivers: serialDrivers },
  { vendorId: 0x10c4, productId: 0xea60, label: 'Silicon Labs CP210x USB-serial cable', drivers: serialDrivers },
  { vendorId: 0x1a86, productId: 0x7523, label: 'WCH CH340 USB-serial cable', drivers: serialDrivers },
];

/** The manifest entry for a USB device, if any driver can speak to it. */
export function lookupUsb(vendorId: number | undefined, productId: number | undefined): ManifestEntry | undefined {
  return manifest.find((entry) => entry.vendorId === vendorId && entry.productId === productId);
}
