/**
 * FreeStyle text replies, once reassembled from their 0x60 reports:
 *
 *   message "CKSM:" 8HEXDIG CRLF "CMD " ("OK" / "Fail!") CRLF
 *
 * The checksum is the plain sum of the bytes of `message` (everything before
 * "CKSM:", its final CR LF included), as 8 uppercase hex digits
 * (glucometer-protocols, freestyle-hid `_verify_checksum`, tidepool
 * `validateTextChecksum` all agree). Multi-record replies (`$result?`) put a
 * second check inside `message`:
 *
 *   *( record CRLF ) count "," 8HEXDIG CRLF     or     "Log Empty" CRLF
 *
 * where the checksum covers the records, up to and including the last CR LF.
 */
export const TEXT_END = /CMD (?:OK|Fail!)\r\n/;
/** Text ending with that line, and the line's greatest length ("CMD Fail!" CR LF). */
export const ENDS_WITH_TEXT_END = /CMD (?:OK|Fail!)\r\n$/;
export const TEXT_END_MAX = 11;

const REPLY = /^([\s\S]*)CKSM:([0-9A-F]{8})\r\nCMD (OK|Fail!)\r\n$/;
const MULTI = /^([\s\S]+\r\n)(\d+),([0-9A-F]{8})\r\n$/;

/** Sum of the byte values of a latin1 string. */
export const byteSum = (text: string): number => Array.from(text).reduce((sum, c) => sum + (c.charCodeAt(0) & 0xff), 0);
export const hex8 = (n: number): string => (n >>> 0).toString(16).toUpperCase().padStart(8, '0');

export type TextReply =
  | { kind: 'ok'; message: string }
  | { kind: 'failed'; message: string }
  | { kind: 'checksum'; expected: string; computed: string }
  | { kind: 'malformed' };

export function parseTextReply(text: string): TextReply {
  const m = REPLY.exec(text);
  if (!m) return { kind: 'malformed' };
  const [, message = '', expected = '', status] = m;
  const computed = hex8(byteSum(message));
  if (computed !== expected) return { kind: 'checksum', expected, computed };
  return status === 'OK' ? { kind: 'ok', message } : { kind: 'failed', message };
}

export type MultiRecord =
  /** `trailer`: the line after the records, `count,checksum` CR LF or "Log Empty" CR LF. */
  | { kind: 'records'; records: string[]; trailer: string }
  | { kind: 'checksum'; expected: string; computed: string }
  | { kind: 'count'; expected: number; found: number };

/** The records of a multi-record message, or undefined when the message is not one. */
export function parseMultiRecord(message: string): MultiRecord | undefined {
  if (message === 'Log Empty\r\n') return { kind: 'records', records: [], trailer: message };
  const m = MULTI.exec(message);
  if (!m) return undefined;
  const [, body = '', count = '', expected = ''] = m;
  const computed = hex8(byteSum(body));
  if (computed !== expected) return { kind: 'checksum', expected, computed };
  const records = body.split('\r\n').filter((r) => r !== '');
  if (records.length !== Number(count)) return { kind: 'count', expected: Number(count), found: records.length };
  return { kind: 'records', records, trailer: message.slice(body.length) };
}
