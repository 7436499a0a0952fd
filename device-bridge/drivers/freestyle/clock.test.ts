import { describe, expect, it } from 'vitest';
import { decodedItemSchema } from '../../../app/devices/decoded-item';
import type { DecodedItem } from '../decoder';
import { clockItems, meterDate } from './clock';
import { decode, decodeTextReply } from './decoder';
import { linkOf } from './link';
import { ascii, textReports } from './reports';
import { textReply } from './simulator';
import { toHex, concat } from '../../../app/crypto/bytes';

const shape = (items: DecodedItem[] | undefined) =>
  items?.map((i) => (i.type === 'error' ? `${i.error.code}: ${i.error.reason}` : `${linkOf(i) ?? i.type} ${JSON.stringify(i.type === 'status' ? i.status.detail : {})}`));
const clock = (message: string) => clockItems(message, textReply(message));

describe('FreeStyle clock replies', () => {
  it('reads $date? as month,day,yy in 2000-2099 and $time? as hour,minute, with or without leading zeros', () => {
    expect(shape(clock('3,5,24\r\n'))).toEqual(['date {"link":"date","meterDate":"2024-03-05"}']);
    expect(shape(clock('03,05,24\r\n'))).toEqual(['date {"link":"date","meterDate":"2024-03-05"}']);
    expect(shape(clock('12,31,0\r\n'))).toEqual(['date {"link":"date","meterDate":"2000-12-31"}']);
    expect(shape(clock('9,30\r\n'))).toEqual(['time {"link":"time","meterClock":"09:30"}']);
    expect(shape(clock('23,59\r\n'))).toEqual(['time {"link":"time","meterClock":"23:59"}']);
    expect(clock('3,5,24\r\n')?.[0]).toMatchObject({ status: { raw: toHex(ascii(textReply('3,5,24\r\n'))) } });
  });

  it('says plainly when the clock is not set (255 in every field), and still gives the link so the handshake moves on', () => {
    expect(shape(clock('255,255,255\r\n'))).toEqual(["unsupported: The meter's clock is not set (its date reads 255,255,255).", 'date {"link":"date"}']);
    expect(shape(clock('255,255\r\n'))).toEqual(["unsupported: The meter's clock is not set (its time reads 255,255).", 'time {"link":"time"}']);
  });

  it('refuses fields that are no date or time, never a crash or a made-up clock', () => {
    expect(shape(clock('2,30,24\r\n'))).toEqual(['unsupported: The meter\'s date "2,30,24" is not a date.', 'date {"link":"date"}']);
    expect(shape(clock('13,1,24\r\n'))).toEqual(['unsupported: The meter\'s date "13,1,24" is not a date.', 'date {"link":"date"}']);
    expect(shape(clock('1,1,124\r\n'))).toEqual(['unsupported: The meter\'s date "1,1,124" is not a date.', 'date {"link":"date"}']);
    expect(shape(clock('24,0\r\n'))).toEqual(['unsupported: The meter\'s time "24,0" is not a time of day.', 'time {"link":"time"}']);
    expect(meterDate(2, 29, 24)).toBe('2024-02-29');
    expect(meterDate(2, 29, 23)).toBeUndefined();
  });

  it('leaves lines of other shapes alone: a serial number, a date with slashes, extra fields', () => {
    for (const message of ['SIMNEO1-00042\r\n', '3/5/24\r\n', '3,5,24,1\r\n', '3,5\r\n9,30\r\n', '1234,5\r\n', 'Log Empty\r\n']) expect(clock(message)).toBeUndefined();
  });

  it('decodes a whole clock reply as the date, not as a serial number', () => {
    expect(shape(decodeTextReply(textReply('3,5,24\r\n')))).toEqual(['date {"link":"date","meterDate":"2024-03-05"}']);
    expect(shape(decodeTextReply(textReply('SIMNEO1-00042\r\n')))).toEqual(['status {"serial":"SIMNEO1-00042"}', 'serial {"link":"serial"}']);
  });

  it('gives a checksum error, and no clock, for a clock reply corrupted on its way', () => {
    const broken = textReply('3,5,24\r\n').replace('3,5,24', '3,6,24');
    const items = decode(concat(textReports(broken))).items;
    expect(items.map((i) => (i.type === 'error' ? i.error.code : linkOf(i)))).toEqual(['checksum', 'bad-reply']);
    items.forEach((item) => decodedItemSchema.parse(item));
  });
});
