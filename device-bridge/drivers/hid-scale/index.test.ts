import { describe, expect, it } from 'vitest';
import { manifest } from '../../manifest';
import { hidScaleDriver, hidScaleUsbIds } from './index';
import { scaleWeighing } from './simulator';

describe('HID scale driver', () => {
  it('takes 6-byte reports and sends nothing: the scale reports by itself', () => {
    expect(hidScaleDriver).toMatchObject({ id: 'hid-scale', transport: 'hid', reportSize: 6 });
    const handshake = hidScaleDriver.createHandshake();
    expect(handshake.start()).toEqual([]);
    const reports = scaleWeighing({ weight: 724, unit: 'kg', exponent: -1 });
    expect(handshake.onItems(reports.flatMap((r) => hidScaleDriver.decode(r).items))).toEqual({ send: [], done: false });
  });

  it('answers to the USB ids the manifest routes to it', () => {
    for (const id of hidScaleUsbIds) {
      expect(manifest.some((e) => e.vendorId === id.vendorId && e.productId === id.productId && e.drivers.includes('hid-scale'))).toBe(true);
    }
  });
});
