import { toHex, type DecodedItem, type DecodeStep } from '../decoder';
import { linkItem } from './link';
import { recordItems } from './records';
import { ascii, latin1, MessageType, parseReport, REPORT_SIZE, type Report } from './reports';
import { ENDS_WITH_TEXT_END, parseMultiRecord, parseTextReply, TEXT_END, TEXT_END_MAX } from './text';

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
  // A reply still arriving: the hint says no end line ends before `scanned`,
  // so only the reports added since the last call can complete it.
  if (scanned > 0 && !endLineFrom(bytes, scanned, whole)) return { consumed: 0, items: [], scanned: whole };
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

const LF = 0x0a;

/** The payload of the report at `at` when it is a text report. */
function textPayload(bytes: Uint8Array, at: number): Uint8Array | undefined {
  const report = parseReport(bytes.subarray(at, at + REPORT_SIZE));
  return report?.type === MessageType.text ? report.payload : undefined;
}

/**
 * Whether a text report in [from, to) completes the end line of the reply
 * that starts at 0. An end line ends in LF, so only the LFs of those reports
 * are looked at, each with the few characters of text before it, however
 * many reports back (keepalives, tiny reports) they lie. Finding that text
 * from a fixed point instead, before scanning forward, re-read every
 * keepalive since the last text on each new report: quadratic when a meter
 * pauses mid-reply. Here a report is only read again for the LFs among the
 * next TEXT_END_MAX characters of text, so each report is read a bounded
 * number of times.
 */
function endLineFrom(bytes: Uint8Array, from: number, to: number): boolean {
  for (let at = from; at + REPORT_SIZE <= to; at += REPORT_SIZE) {
    const payload = textPayload(bytes, at);
    if (payload === undefined) continue;
    for (let lf = payload.indexOf(LF); lf >= 0; lf = payload.indexOf(LF, lf + 1)) {
      if (ENDS_WITH_TEXT_END.test(`${textBefore(bytes, at, payload, lf)}\n`)) return true;
    }
  }
  return false;
}

/** The last TEXT_END_MAX - 1 characters of text before `payload[index]` (`payload` being the text report at `at`), fewer at the start of the input. */
function textBefore(bytes: Uint8Array, at: number, payload: Uint8Array, index: number): string {
  const want = TEXT_END_MAX - 1;
  let text = latin1(payload.subarray(Math.max(0, index - want), index));
  for (let back = at - REPORT_SIZE; back >= 0 && text.length < want; back -= REPORT_SIZE) {
    const earlier = textPayload(bytes, back);
    if (earlier) text = latin1(earlier.subarray(Math.max(0, earlier.length - (want - text.length)))) + text;
  }
  return text;
}
