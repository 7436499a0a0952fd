import type { DeviceStatus } from '../../../app/devices/decoded-item';
import type { DriverId } from '../../../app/devices/driver-ids';

/**
 * The words for a live device's state, chosen per kind of device: the
 * decoders share a few status codes ("searching" is an oximeter looking for
 * a pulse and a scale whose weight is still moving), so the code alone
 * cannot say what to tell the nurse.
 */

const oximeter: Partial<Record<DeviceStatus['status'], string>> = {
  'finger-out': 'capture.status.oximeter.fingerOut',
  'probe-error': 'capture.status.oximeter.probeError',
  searching: 'capture.status.oximeter.searching',
};

/** By what the scale itself said (the hid-scale driver's `detail.scale`). */
const scale: Readonly<Record<string, string>> = {
  zero: 'capture.status.scale.zero',
  'in-motion': 'capture.status.scale.inMotion',
  fault: 'capture.status.scale.fault',
  'under-zero': 'capture.status.scale.underZero',
  'over-capacity': 'capture.status.scale.overCapacity',
  'needs-calibration': 'capture.status.scale.needsCalibration',
  'needs-rezeroing': 'capture.status.scale.needsRezeroing',
};

/** The i18n key of the message for this device's status, or undefined when there is nothing to say. */
export function statusMessageKey(driver: DriverId, status: DeviceStatus): string | undefined {
  switch (driver) {
    case 'cms50d':
      return oximeter[status.status];
    case 'hid-scale': {
      const said = status.detail?.scale;
      if (typeof said === 'string' && Object.hasOwn(scale, said)) return scale[said];
      return status.status === 'probe-error' ? 'capture.status.scale.problem' : undefined;
    }
    default:
      // Glucometers download stored results: their statuses are about the transfer, shown elsewhere.
      return undefined;
  }
}
