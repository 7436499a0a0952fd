import type { HidTransportFactory } from '../transports/hid-transport';
import { createScriptedHidFactory } from '../transports/scripted-hid';
import { hidScript, type SimulatedHidDriver } from './hid-scripts';

/** Real HID devices plus simulated ones (paths `simulated:<driver>`), for the browser-mode demo and end-to-end tests. */
export function withSimulatedHid(real: HidTransportFactory, simulate: readonly SimulatedHidDriver[]): HidTransportFactory {
  const simulated = createScriptedHidFactory(simulate.map(hidScript), { delayMs: 5 });
  return {
    list: async () => [...(await real.list().catch(() => [])), ...(await simulated.list())],
    open: (path) => (path.startsWith('simulated:') ? simulated.open(path) : real.open(path)),
  };
}
