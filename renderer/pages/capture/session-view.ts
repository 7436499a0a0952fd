import type { DeviceReading } from '../../../app/devices/decoded-item';
import type { SessionView } from '../../devices/use-devices';

/** What the nurse confirmed from one device session, to be stored. */
export interface ConfirmedReadings {
  readings: DeviceReading[];
  onOxygen?: boolean;
}

/** What each kind of session view (live device, memory download) is given. */
export interface SessionViewProps {
  session: SessionView;
  onStore: (confirmed: ConfirmedReadings) => Promise<unknown>;
}
