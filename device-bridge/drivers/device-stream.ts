import { liveDriverIds } from '../../app/devices/driver-ids';
import type { DecodedItem } from './decoder';
import { createStreamDecoder } from './decoder';
import type { Driver } from './driver';
import { createRepeatFilter } from './repeats';

/**
 * A driver's decoder over one connection, as the device manager and
 * `clinic-device decode` both run it: bytes in as they arrive, items out,
 * what spans several replies joined by the driver's item stage, a live
 * device's repeats collapsed. One place, so a capture decodes exactly
 * as the live reading run would.
 */
export interface DeviceStream {
  push(chunk: Uint8Array): DecodedItem[];
  /** What was left half-received, as `truncated`. */
  end(): DecodedItem[];
}

export function createDeviceStream(driver: Pick<Driver, 'id' | 'decode' | 'createItemStage'>): DeviceStream {
  const decoder = createStreamDecoder(driver.decode);
  const stage = driver.createItemStage?.() ?? ((items: DecodedItem[]) => items);
  // A live device repeats its values; a meter's download lists distinct results and passes whole.
  const filter = liveDriverIds.has(driver.id) ? createRepeatFilter() : (items: DecodedItem[]) => items;
  return {
    push: (chunk) => filter(stage(decoder.push(chunk))),
    end: () => filter(stage(decoder.end())),
  };
}
