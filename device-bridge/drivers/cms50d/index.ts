import type { Driver } from '../driver';
import { decodeCms50d } from './decoder';
import { createCms50dHandshake } from './handshake';

/** Contec CMS50D+ pulse oximeter, live mode of the older (19200 baud) firmware. */
export const cms50dDriver: Driver = {
  id: 'cms50d',
  transport: 'serial',
  identity: { manufacturer: 'Contec Medical Systems', model: 'CMS50D+' },
  serial: { baudRate: 19200, dataBits: 8, parity: 'odd', stopBits: 1 },
  decode: decodeCms50d,
  createHandshake: createCms50dHandshake,
};
