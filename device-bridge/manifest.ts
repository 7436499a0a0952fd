import type { DriverId } from '../app/devices/driver-ids';

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

export const manifest: readonly ManifestEntry[] = [
  { vendorId: 0x1a79, productId: 0x7410, label: 'Ascensia Contour Next USB', drivers: ['contour-next'] },
  { vendorId: 0x1a79, productId: 0x6002, label: 'Bayer Contour USB', drivers: ['contour-next'] },
  // Abbott FreeStyle HID meters share the vendor id; product ids vary by model.
  { vendorId: 0x1a61, productId: 0x3460, label: 'Abbott FreeStyle InsuLinx', drivers: ['freestyle'] },
  { vendorId: 0x1a61, productId: 0x3650, label: 'Abbott FreeStyle Libre', drivers: ['freestyle'] },
  { vendorId: 0x1a61, productId: 0x3850, label: 'Abbott FreeStyle Optium Neo', drivers: ['freestyle'] },
  { vendorId: 0x0922, productId: 0x8003, label: 'Dymo M10 scale', drivers: ['hid-scale'] },
  { vendorId: 0x0922, productId: 0x8004, label: 'Dymo M25 scale', drivers: ['hid-scale'] },
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
