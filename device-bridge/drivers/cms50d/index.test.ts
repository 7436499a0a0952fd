import { describe, expect, it } from 'vitest';
import { cms50dDriver } from './index';
import { cms50dLiveStream } from './simulator';

describe('CMS50D+ driver', () => {
  it('opens the port at 19200 8O1 and sends nothing: live mode streams by itself', () => {
    expect(cms50dDriver).toMatchObject({ id: 'cms50d', transport: 'serial', serial: { baudRate: 19200, dataBits: 8, parity: 'odd', stopBits: 1 } });
    const handshake = cms50dDriver.createHandshake();
    expect(handshake.start()).toEqual([]);
    const { items } = cms50dDriver.decode(cms50dLiveStream({ spo2: 97, pulse: 70, samples: 60 }));
    expect(handshake.onItems(items)).toEqual({ send: [], done: false });
  });
});
