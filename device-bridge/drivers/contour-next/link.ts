import type { DecodedItem } from '../decoder';

/**
 * What the decoder tells the handshake about each complete meter message, as a
 * status item with `detail.link`. The handshake answers on these alone, so the
 * E1381 rule "one reply per message" holds whatever else a message produced
 * (a reading, a header, an error kept for the log):
 *   enq      the meter asks to send: reply ACK
 *   frame    a frame with a good checksum: reply ACK (also for duplicates)
 *   rejected a frame with a bad checksum, or a message that is no frame: reply NAK
 *   eot      the meter has finished
 */
export type Link = 'enq' | 'frame' | 'rejected' | 'eot';

export function linkItem(link: Link, raw: string, extra: Record<string, string | number> = {}): DecodedItem {
  return { type: 'status', status: { status: link === 'eot' ? 'end' : 'ok', detail: { link, ...extra }, raw } };
}

export function linkOf(item: DecodedItem): Link | undefined {
  if (item.type !== 'status') return undefined;
  const link = item.status.detail?.link;
  return link === 'enq' || link === 'frame' || link === 'rejected' || link === 'eot' ? link : undefined;
}
