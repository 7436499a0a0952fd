import type { Driver } from '../driver';
import { createClockJoin } from './clock-join';
import { decode } from './decoder';
import { REPORT_SIZE } from './reports';
import { createFreestyleHandshake } from './handshake';

/**
 * USB ids this driver answers to (Abbott vendor 0x1A61). Only the Precision /
 * Optium Neo family, whose `$result?` layout the decoder reads; the Libre
 * (0x3650) and InsuLinx (0x3460) share the framing but not the records.
 */
export const freestyleUsbIds = [{ vendorId: 0x1a61, productId: 0x3850, model: 'FreeStyle Precision Neo / Optium Neo' }] as const;

export const freestyleDriver: Driver = {
  id: 'freestyle',
  transport: 'hid',
  identity: { manufacturer: 'Abbott', model: 'FreeStyle Precision Neo / Optium Neo' },
  reportSize: REPORT_SIZE,
  decode,
  createItemStage: createClockJoin,
  createHandshake: createFreestyleHandshake,
};
