// The browser-mode host with simulated HID devices (`npm run serve:simulated -- --simulate <device>`;
// dist/dev/serve-simulated.mjs): for development and the end-to-end tests, never shipped.
import { simulatedHidDrivers, type SimulatedHidDriver } from '../../device-bridge/simulate/hid-scripts';
import { withSimulatedHid } from '../../device-bridge/simulate/with-simulated-hid';
import { runHostCli } from './cli';

const isSimulated = (driver: string): driver is SimulatedHidDriver => simulatedHidDrivers.some((known) => known === driver);

void runHostCli({
  drivers: simulatedHidDrivers,
  // runHostCli passes only names from `drivers`.
  wrap: (real, drivers) => withSimulatedHid(real, drivers.filter(isSimulated)),
});
