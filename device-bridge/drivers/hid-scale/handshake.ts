import type { DriverHandshake } from '../driver';

/**
 * A HID scale reports its weight unasked, several times a second, for as long
 * as it is on: nothing to send, and the exchange ends when the user closes it.
 */
export function createHidScaleHandshake(): DriverHandshake {
  return {
    start: () => [],
    onItems: () => ({ send: [], done: false }),
  };
}
