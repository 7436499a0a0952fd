import type { DeviceReading } from '../../../app/devices/decoded-item';
import type { RunView } from '../../devices/use-devices';

/** What the nurse confirmed from one reading run, to be stored. */
export interface ConfirmedReadings {
  readings: DeviceReading[];
  onOxygen?: boolean;
}

/** What each kind of reading-run view (live device, memory download) is given. */
export interface RunViewProps {
  run: RunView;
  onStore: (confirmed: ConfirmedReadings) => Promise<unknown>;
}
