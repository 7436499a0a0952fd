import type { Driver } from '../driver';
import { decodeHidScale } from './decoder';
import { REPORT_SIZE } from './report';
import { createHidScaleHandshake } from './handshake';

/** USB ids seen for the scales this driver was written for (DYMO vendor 0x0922; see README). */
export const hidScaleUsbIds = [
  { vendorId: 0x0922, productId: 0x8003, model: 'M10' },
  { vendorId: 0x0922, productId: 0x8004, model: 'M25' },
] as const;

/** A USB HID point-of-sale scale (DYMO M10/M25 style): weight in kilograms. */
export const hidScaleDriver: Driver = {
  id: 'hid-scale',
  transport: 'hid',
  identity: { manufacturer: 'DYMO', model: 'M10/M25 USB scale' },
  reportSize: REPORT_SIZE,
  decode: decodeHidScale,
  createHandshake: createHidScaleHandshake,
};
