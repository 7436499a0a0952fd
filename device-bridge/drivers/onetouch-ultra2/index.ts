import type { Driver } from '../driver';
import { decodeUltra2 } from './decoder';
import { createUltra2Handshake } from './handshake';

/** LifeScan OneTouch Ultra 2 glucometer: serial cable, "DMP" memory dump. */
export const onetouchUltra2Driver: Driver = {
  id: 'onetouch-ultra2',
  transport: 'serial',
  identity: { manufacturer: 'LifeScan', model: 'OneTouch Ultra 2' },
  serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 },
  decode: decodeUltra2,
  createHandshake: createUltra2Handshake,
};
