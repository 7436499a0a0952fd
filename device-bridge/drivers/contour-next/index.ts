import type { Driver } from '../driver';
import { decode } from './decoder';
import { REPORT_SIZE } from './reports';
import { createContourHandshake } from './handshake';

/** USB ids this driver answers to (Bayer Health Care / Ascensia vendor 0x1A79). */
export const contourUsbIds = [
  { vendorId: 0x1a79, productId: 0x7410, model: 'Contour Next USB' },
  { vendorId: 0x1a79, productId: 0x6002, model: 'Contour USB' },
] as const;

export const contourNextDriver: Driver = {
  id: 'contour-next',
  transport: 'hid',
  identity: { manufacturer: 'Ascensia Diabetes Care (Bayer)', model: 'Contour Next USB' },
  reportSize: REPORT_SIZE,
  decode,
  createHandshake: createContourHandshake,
};
