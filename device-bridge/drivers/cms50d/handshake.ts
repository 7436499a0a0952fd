import type { DriverHandshake } from '../driver';

/**
 * Live mode on the older firmware is one-way: the device streams frames as
 * soon as it is on, so there is nothing to send and the exchange never ends
 * (the user closes it).
 */
export function createCms50dHandshake(): DriverHandshake {
  return {
    start: () => [],
    onItems: () => ({ send: [], done: false }),
  };
}
