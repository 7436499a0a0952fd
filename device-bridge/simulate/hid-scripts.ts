import type { DriverId } from '../../app/devices/driver-ids';
import { exampleMeter as contourMeter, initialMeterState, meterRespond as contourRespond } from '../drivers/contour-next/simulator';
import { meterRespond as freestyleRespond, recentMeter } from '../drivers/freestyle/simulator';
import { scaleWeighing } from '../drivers/hid-scale/simulator';
import type { HidScript } from '../transports/scripted-hid';

/**
 * Simulated HID devices for tests and the browser-mode demo: each answers the
 * host exactly as its driver's simulator says the real device does.
 */
export type SimulatedHidDriver = Extract<DriverId, 'contour-next' | 'freestyle' | 'hid-scale'>;
export const simulatedHidDrivers: readonly SimulatedHidDriver[] = ['contour-next', 'freestyle', 'hid-scale'];

export function hidScript(driver: SimulatedHidDriver): HidScript {
  switch (driver) {
    case 'contour-next': {
      let state = initialMeterState;
      return {
        info: { path: 'simulated:contour-next', vendorId: 0x1a79, productId: 0x7410, manufacturer: 'Ascensia', product: 'Contour Next USB (simulated)' },
        respond: (report) => {
          const answer = contourRespond(contourMeter, state, report);
          state = answer.state;
          return answer.reports;
        },
      };
    }
    case 'freestyle': {
      // Results from this week (HI and LO among them), so the demo shows what a nurse meets on the day.
      const meter = recentMeter(new Date());
      return {
        info: { path: 'simulated:freestyle', vendorId: 0x1a61, productId: 0x3850, manufacturer: 'Abbott', product: 'FreeStyle Optium Neo (simulated)' },
        respond: (report) => freestyleRespond(meter, report),
      };
    }
    case 'hid-scale':
      return {
        info: { path: 'simulated:hid-scale', vendorId: 0x0922, productId: 0x8003, manufacturer: 'Dymo', product: 'M10 (simulated)' },
        onOpen: () => scaleWeighing({ weight: 724, unit: 'kg', exponent: -1 }),
        respond: () => [],
      };
  }
}
