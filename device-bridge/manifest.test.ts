import { describe, expect, it } from 'vitest';
import { lookupUsb, manifest } from './manifest';

describe('device manifest', () => {
  it('maps each HID meter and scale to its driver, and each USB-serial chip to the serial drivers', () => {
    expect(lookupUsb(0x1a79, 0x7410)?.drivers).toEqual(['contour-next']);
    expect(lookupUsb(0x0922, 0x8003)?.drivers).toEqual(['hid-scale']);
    expect(lookupUsb(0x1a61, 0x3850)?.drivers).toEqual(['freestyle']);
    for (const [vid, pid] of [[0x0403, 0x6001], [0x067b, 0x2303], [0x10c4, 0xea60], [0x1a86, 0x7523]] as const) {
      expect(lookupUsb(vid, pid)?.drivers).toEqual(['cms50d', 'onetouch-ultra2']);
    }
    expect(lookupUsb(0x046d, 0xc52b)).toBeUndefined();
  });

  it('names each USB id once', () => {
    const keys = manifest.map((e) => `${e.vendorId}:${e.productId}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
