import { toHex, type DecodedItem, type DecodeStep } from '../decoder';
import { linkItem } from './link';
import { recordItems } from './records';
import { ascii, latin1, MessageType, parseReport, REPORT_SIZE, type Report } from './reports';
import { parseMultiRecord, parseTextReply, TEXT_END } from './text';

const error = (code: 'garbled' | 'checksum' | 'unsupported', reason: string, raw: string): DecodedItem => ({ type: 'error', error: { code, reason, raw } });

/**
 * One whole text reply. Which command it answers is read from its shape,
 * since the decoder keeps no state: "Log Empty" or records with a count and
 * checksum answer `$result?`; a single line answers `$serlnum?`.
 */
export function decodeTextReply(text: string): DecodedItem[] {
  const raw = toHex(ascii(text));
  const reply = parseTextReply(text);
  if (reply.kind === 'malformed') return [error('garbled', 'A text reply without its CKSM and CMD lines.', raw), linkItem('bad-reply', raw)];
  if (reply.kind === 'checksum') {
    return [error('checksum', `Reply checksum ${reply.expected} does not match ${reply.computed}.`, raw), linkItem('bad-reply', raw)];
  }
  if (reply.kind === 'failed') return [error('unsupported', 'The meter refused the command (CMD Fail!).', raw), linkItem('failed', raw)];
  const multi = parseMultiRecord(reply.message);
  if (multi?.kind === 'checksum') {
    return [error('checksum', `Record checksum ${multi.expected} does not match ${multi.computed}.`, raw), linkItem('bad-reply', raw)];
  }
  if (multi?.kind === 'count') {
    return [error('garbled', `The meter announced ${multi.expected} records and sent ${multi.found}.`, raw), linkItem('bad-reply', raw)];
  }
  if (multi) return [...multi.records.flatMap(recordItems), linkItem('results', raw, { count: multi.records.length })];
  const line = /^([^\r\n]*)\r\n$/.exec(reply.message);
  if (line) {
    const serial = line[1] ?? '';
    return [{ type: 'status', status: { status: 'header', detail: { serial }, raw } }, linkItem('serial', raw)];
  }
  return [error('unsupported', 'A text reply this driver does not read.', raw), linkItem('other-reply', raw)];
}

/** Items for a report that is not part of a text reply; keepalives give none. */
function otherReport(report: Report, bytes: Uint8Array): DecodedItem[] {
  const raw = toHex(bytes);
  const single = report.payload.length === 1 ? report.payload[0] : undefined;
  switch (report.type) {
    case MessageType.keepalive:
      return [];
    case MessageType.initReply:
      return single === 0x01 ? [linkItem('init', raw)] : [error('unsupported', 'An unexpected answer to INIT.', raw)];
    case MessageType.unknownMessage:
      return [error('unsupported', 'The meter did not recognise a message we sent.', raw), linkItem('rejected-command', raw)];
    case MessageType.reply04:
    case MessageType.serialReply05:
    case MessageType.versionReply15:
      return [error('unsupported', 'An answer to an identification message this driver does not send.', raw)];
    default:
      return [error('garbled', 'A USB report that is not a FreeStyle message.', raw)];
  }
}

/**
 * Pure decoder over concatenated 64-byte input reports. Text replies span
 * several 0x60 reports and end with the "CMD OK" / "CMD Fail!" line; a reply
 * is decoded once that line is here, and only then are its reports consumed.
 * Other reports arriving in the middle of a reply (keepalives, noise) are
 * skipped, their items held back with the reply so that any split of the
 * stream gives the same items in the same order.
 */
export function decode(bytes: Uint8Array, scanned = 0): DecodeStep {
  const whole = bytes.length - (bytes.length % REPORT_SIZE);
  // A reply still arriving: look only at the reports added since the last call
  // (and the one before them, where the end line may have started).
  if (scanned > 0 && !endLineBetween(bytes, lookBack(bytes, scanned), whole)) return { consumed: 0, items: [], scanned: whole };
  const items: DecodedItem[] = [];
  let consumed = 0;
  // The reply so far as pieces, joined once its end line is here: growing one
  // string and slicing it for the end check flattened it on every report,
  // which made a long download cost far more than the USB link delivers.
  let parts: string[] | undefined;
  let tail = '';
  let held: DecodedItem[] = [];
  for (let at = 0; at + REPORT_SIZE <= bytes.length; at += REPORT_SIZE) {
    const reportBytes = bytes.subarray(at, at + REPORT_SIZE);
    const report = parseReport(reportBytes);
    if (report?.type !== MessageType.text) {
      const other = report ? otherReport(report, reportBytes) : [error('garbled', 'A USB report with an impossible length.', toHex(reportBytes))];
      if (parts === undefined) {
        items.push(...other);
        consumed = at + REPORT_SIZE;
      } else held.push(...other);
      continue;
    }
    const piece = latin1(report.payload);
    (parts ??= []).push(piece);
    // Only the newly arrived piece (and the few characters before it) can complete the end line.
    const window = tail + piece;
    tail = window.slice(-12);
    if (!TEXT_END.test(window)) continue;
    items.push(...held, ...decodeTextReply(parts.join('')));
    parts = undefined;
    tail = '';
    held = [];
    consumed = at + REPORT_SIZE;
  }
  return consumed === 0 && parts !== undefined ? { consumed, items, scanned: whole } : { consumed, items };
}

/** Where to start looking so an end line begun in earlier (possibly tiny) text reports is seen whole. */
function lookBack(bytes: Uint8Array, scanned: number): number {
  let chars = 0;
  let at = scanned;
  while (at >= REPORT_SIZE && chars < 12) {
    at -= REPORT_SIZE;
    const report = parseReport(bytes.subarray(at, at + REPORT_SIZE));
    if (report?.type === MessageType.text) chars += report.payload.length;
  }
  return at;
}

/** Whether a text report's payload in [from, to) completes a reply's end line. */
function endLineBetween(bytes: Uint8Array, from: number, to: number): boolean {
  let tail = '';
  for (let at = from; at + REPORT_SIZE <= to; at += REPORT_SIZE) {
    const report = parseReport(bytes.subarray(at, at + REPORT_SIZE));
    if (report?.type !== MessageType.text) continue;
    const window = tail + latin1(report.payload);
    if (TEXT_END.test(window)) return true;
    tail = window.slice(-12);
  }
  return false;
}
