import { boundedRaw, type DecodedItem, type DecodeStep } from '../decoder';
import { clockItems } from './clock';
import { linkItem } from './link';
import { recordItems } from './records';
import { ascii, latin1, MessageType, parseReport, REPORT_SIZE, type Report } from './reports';
import { ENDS_WITH_TEXT_END, parseMultiRecord, parseTextReply, TEXT_END, TEXT_END_MAX } from './text';
import { toHex } from '../../../app/crypto/bytes';

type ErrorCode = 'garbled' | 'checksum' | 'unsupported';
const error = (code: ErrorCode, reason: string, raw: string): DecodedItem => ({ type: 'error', error: { code, reason, raw } });

/** A one-line reply: the serial number, at most 100 characters as the contract's `DeviceIdentity.serial`; a longer line is not one. */
const SERIAL_LINE = /^([^\r\n]{0,100})\r\n$/;

/**
 * One whole text reply. Which command it answers is read from its shape,
 * since the decoder keeps no state: "Log Empty" or records with a count and
 * checksum answer `$result?`; three or two comma-separated numbers answer
 * `$date?` or `$time?`; any other single line answers `$serlnum?`.
 *
 * No item carries the whole reply, which grows with the meter's memory
 * (1,000 results are about 45 kB): each record is in its own item, the serial
 * in the header, and the link item only the closing lines after them (the
 * `$result?` count line, then the CKSM and CMD lines). An error about the
 * reply as a whole keeps at most its last maxRawBytes (`boundedRaw`).
 */
export function decodeTextReply(text: string): DecodedItem[] {
  const bytes = ascii(text);
  const wrong = (code: ErrorCode, reason: string): DecodedItem => ({ type: 'error', error: { code, ...boundedRaw(bytes, reason) } });
  const reply = parseTextReply(text);
  // Nothing of it could be read, so its link item keeps only the end line that closed it; the error keeps the reply.
  if (reply.kind === 'malformed') return [wrong('garbled', 'A text reply without its CKSM and CMD lines.'), linkItem('bad-reply', toHex(bytes.subarray(-TEXT_END_MAX)))];
  // A parsed reply is `message` then its CKSM and CMD lines; `message` ends at the last "CKSM:".
  const checks = text.lastIndexOf('CKSM:');
  const closing = (from: number): string => toHex(bytes.subarray(from));
  if (reply.kind === 'checksum') return [wrong('checksum', `Reply checksum ${reply.expected} does not match ${reply.computed}.`), linkItem('bad-reply', closing(checks))];
  if (reply.kind === 'failed') return [wrong('unsupported', 'The meter refused the command (CMD Fail!).'), linkItem('failed', closing(checks))];
  const multi = parseMultiRecord(reply.message);
  if (multi?.kind === 'checksum') return [wrong('checksum', `Record checksum ${multi.expected} does not match ${multi.computed}.`), linkItem('bad-reply', closing(checks))];
  if (multi?.kind === 'count') return [wrong('garbled', `The meter announced ${multi.expected} records and sent ${multi.found}.`), linkItem('bad-reply', closing(checks))];
  if (multi) return [...multi.records.flatMap(recordItems), linkItem('results', closing(checks - multi.trailer.length), { count: multi.records.length })];
  const clock = clockItems(reply.message, text);
  if (clock) return clock;
  const line = SERIAL_LINE.exec(reply.message);
  if (line) {
    const serial = line[1] ?? '';
    return [{ type: 'status', status: { status: 'header', detail: { serial }, raw: toHex(ascii(reply.message)) } }, linkItem('serial', closing(checks))];
  }
  return [wrong('unsupported', 'A text reply this driver does not read.'), linkItem('other-reply', closing(checks))];
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
