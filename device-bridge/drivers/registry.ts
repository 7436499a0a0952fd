import type { DriverId } from '../../app/devices/driver-ids';
import { cms50dDriver } from './cms50d';
import { contourNextDriver } from './contour-next';
import type { Driver } from './driver';
import { freestyleDriver } from './freestyle';
import { hidScaleDriver } from './hid-scale';
import { onetouchUltra2Driver } from './onetouch-ultra2';

/** Every driver, by the id the manifest, the CLI and the capture screen use. */
export const drivers: Readonly<Record<DriverId, Driver>> = {
  cms50d: cms50dDriver,
  'contour-next': contourNextDriver,
  freestyle: freestyleDriver,
  'onetouch-ultra2': onetouchUltra2Driver,
  'hid-scale': hidScaleDriver,
};
