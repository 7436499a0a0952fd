import { describe, expect, it } from 'vitest';
import { onetouchUltra2Driver } from './index';
import { CLOCK_COMMAND } from './handshake';
import { ultra2ClockLine, ultra2Dump } from './simulator';

describe('OneTouch Ultra 2 driver', () => {
  it('opens the port at 9600 8N1, asks for the dump, then the clock, and ends when the clock is in', () => {
    expect(onetouchUltra2Driver).toMatchObject({ id: 'onetouch-ultra2', transport: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 } });
    const handshake = onetouchUltra2Driver.createHandshake();
    expect(handshake.start()).toHaveLength(1);
    const { items } = onetouchUltra2Driver.decode(ultra2Dump({ serial: 'ZZA1234BY', unit: 'mg/dL', records: [{ time: '2024-01-02T03:04:05', value: 99 }] }));
    expect(handshake.onItems(items)).toEqual({ send: [CLOCK_COMMAND], done: false });
    expect(handshake.onItems(onetouchUltra2Driver.decode(ultra2ClockLine('2024-01-02T08:00:00')).items)).toEqual({ send: [], done: true });
  });
});
