import type { DecodedItem } from '../decoder';

/**
 * What the decoder tells the handshake, as a status item with `detail.link`;
 * the handshake acts on these alone:
 *   init             the meter answered the INIT message
 *   serial           a verified one-line reply (the `$serlnum?` answer)
 *   results          a verified multi-record reply (the `$result?` answer)
 *   date             a verified `$date?` answer (`meterDate` when the date is readable)
 *   time             a verified `$time?` answer (`meterClock` when the time is readable)
 *   other-reply      a verified reply of another shape
 *   failed           the meter answered `CMD Fail!`
 *   bad-reply        a reply whose checksum or layout is wrong: ask again
 *   rejected-command the meter did not know the message type we sent
 */
export type Link = 'init' | 'serial' | 'results' | 'date' | 'time' | 'other-reply' | 'failed' | 'bad-reply' | 'rejected-command';
const links: readonly string[] = ['init', 'serial', 'results', 'date', 'time', 'other-reply', 'failed', 'bad-reply', 'rejected-command'];
const isLink = (value: unknown): value is Link => typeof value === 'string' && links.includes(value);

export function linkItem(link: Link, raw: string, extra: Record<string, string | number> = {}): DecodedItem {
  return { type: 'status', status: { status: link === 'results' ? 'end' : 'ok', detail: { link, ...extra }, raw } };
}

export function linkOf(item: DecodedItem): Link | undefined {
  if (item.type !== 'status') return undefined;
  const link = item.status.detail?.link;
  return isLink(link) ? link : undefined;
}
