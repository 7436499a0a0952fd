import { describe, expect, it } from 'vitest';
import type { DecodedItem } from '../decoder';
import { concat } from '../../../app/crypto/bytes';
import { createClockJoin } from './clock-join';
import { decode } from './decoder';
import { linkItem } from './link';
import { textReports } from './reports';
import { textReply } from './simulator';

const replyItems = (message: string): DecodedItem[] => decode(concat(textReports(textReply(message)))).items;
const rawOf = (items: DecodedItem[]) => items.map((i) => (i.type === 'status' ? i.status.raw : '')).join('');
const headers = (items: DecodedItem[]) => items.flatMap((i) => (i.type === 'status' && i.status.status === 'header' ? [i.status] : []));

describe('FreeStyle clock join', () => {
  it('gives one header with meterTime right after the time, joining the date that came in an earlier reply', () => {
    const join = createClockJoin();
    const date = replyItems('3,5,24\r\n');
    expect(join(date)).toEqual(date);
    const time = replyItems('9,30\r\n');
    const out = join(time);
    expect(out.slice(0, time.length)).toEqual(time);
    expect(headers(out)).toEqual([{ status: 'header', detail: { meterTime: '2024-03-05T09:30:00' }, raw: rawOf(date) + rawOf(time) }]);
  });

  it('gives no header when the date is missing or unreadable, or the time is', () => {
    const noDate = createClockJoin();
    expect(headers(noDate(replyItems('9,30\r\n')))).toEqual([]);
    const unset = createClockJoin();
    unset(replyItems('255,255,255\r\n'));
    expect(headers(unset(replyItems('9,30\r\n')))).toEqual([]);
    const badTime = createClockJoin();
    badTime(replyItems('3,5,24\r\n'));
    expect(headers(badTime(replyItems('255,255\r\n')))).toEqual([]);
  });

  it('uses a date once: a second time reply without a new date gives no header', () => {
    const join = createClockJoin();
    join([linkItem('date', '', { meterDate: '2024-03-05' })]);
    expect(headers(join([linkItem('time', '', { meterClock: '09:30' })]))).toHaveLength(1);
    expect(headers(join([linkItem('time', '', { meterClock: '09:31' })]))).toEqual([]);
  });

  it('passes every other item through untouched', () => {
    const items = [linkItem('init', '00'), linkItem('results', '00', { count: 0 }), { type: 'error', error: { code: 'garbled', reason: 'x', raw: '' } } as const];
    expect(createClockJoin()(items)).toEqual(items);
  });
});
