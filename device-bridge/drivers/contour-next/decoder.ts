import { ACK, CR, ENQ, EOT, ETB, ETX, isHexUpper, LF, NAK, STX, parseFrame } from '../astm/e1381';
import { maxRawBytes } from '../../../app/devices/decoded-item';
import { boundedRaw, type DecodedItem, type DecodeStep } from '../decoder';
import { linkItem } from './link';
import { recordItems } from './records';
import { MAX_PAYLOAD, REPORT_SIZE, reportPayload } from './reports';
import { concat, toHex } from '../../../app/crypto/bytes';

const garbled = (reason: string, bytes: Uint8Array): DecodedItem => ({ type: 'error', error: { code: 'garbled', reason, raw: toHex(bytes) } });

/**
 * A message ends with a report shorter than 60 bytes (glucodump,
 * glucometerutils) or, as tidepool also accepts, when it already ends with a
 * whole frame trailer `ETX|ETB C1 C2 CR LF`: a frame whose length is a
 * multiple of 60 then needs no extra report. Text never holds CR, so the
 * trailer cannot appear early.
 */
function messageComplete(lastPayload: Uint8Array, message: Uint8Array): boolean {
  if (lastPayload.length < MAX_PAYLOAD) return true;
  const n = message.length;
  const end = message[n - 5];
  return n >= 7 && (end === ETX || end === ETB) && isHexUpper(message[n - 4]) && isHexUpper(message[n - 3]) && message[n - 2] === CR && message[n - 1] === LF;
}

/**
 * One whole meter message: ENQ, EOT, or one frame (possibly after EOTs the
 * meter sends while establishing). A message that ends in ENQ is the meter
 * asking to send; it may repeat the header frame before it, which the meter
 * sends again once we ACK (glucodump's test_sync), so only the ENQ counts.
 */
export function decodeMessage(message: Uint8Array): DecodedItem[] {
  if (message.length === 0) return [];
  // An E1381 frame holds at most 247 characters, so this is no meter message; its raw would outgrow the item contract.
  if (message.length > maxRawBytes) {
    return [{ type: 'error', error: { code: 'garbled', ...boundedRaw(message, 'The meter sent a message far longer than any frame.') } }, linkItem('rejected', '')];
  }
  const raw = toHex(message);
  if (message[message.length - 1] === ENQ) return [linkItem('enq', raw)];
  if (message.length === 1 && message[0] === EOT) return [linkItem('eot', raw)];
  if (message.length === 1 && (message[0] === ACK || message[0] === NAK)) {
    // Only answers to host commands, which this driver never sends.
    return [{ type: 'error', error: { code: 'unsupported', reason: 'The meter acknowledged a command that was not sent.', raw } }];
  }
  let start = 0;
  while (message[start] === EOT) start++;
  if (message[start] !== STX) return [garbled('The meter sent something that is neither a frame nor a control character.', message), linkItem('rejected', raw)];
  const frameBytes = message.subarray(start);
  const frame = parseFrame(frameBytes);
  const frameRaw = toHex(frameBytes);
  if (frame.kind === 'checksum') {
    return [
      { type: 'error', error: { code: 'checksum', reason: `Frame checksum ${frame.received} does not match ${frame.expected}.`, raw: frameRaw } },
      linkItem('rejected', raw),
    ];
  }
  if (frame.kind === 'malformed') return [garbled(`Not a valid ASTM frame: ${frame.reason}.`, frameBytes), linkItem('rejected', raw)];
  return [...recordItems(frame.text, frameRaw), linkItem('frame', raw, { fn: frame.fn, record: frame.text[0] ?? '' })];
}

/**
 * Pure decoder over concatenated 64-byte input reports. Only whole reports
 * are used, and only up to the end of the last complete message: a frame
 * spread over several reports is decoded once all of them are here. Reports
 * that are not Contour reports are reported as garbled and skipped; when one
 * turns up inside an unfinished message its error is held back with that
 * message, so any split of the stream gives the same items in the same order.
 */
export function decode(bytes: Uint8Array): DecodeStep {
  const items: DecodedItem[] = [];
  let consumed = 0;
  let parts: Uint8Array[] = [];
  let held: DecodedItem[] = [];
  for (let at = 0; at + REPORT_SIZE <= bytes.length; at += REPORT_SIZE) {
    const report = bytes.subarray(at, at + REPORT_SIZE);
    const payload = reportPayload(report);
    if (!payload) {
      const error = garbled('A USB report that is not from a Contour meter.', report);
      if (parts.length === 0) {
        items.push(error);
        consumed = at + REPORT_SIZE;
      } else held.push(error);
      continue;
    }
    parts.push(payload);
    // A message in one report is decoded in place: copying is only for joining.
    const message = parts.length === 1 ? payload : concat(parts);
    if (!messageComplete(payload, message)) continue;
    items.push(...held, ...decodeMessage(message));
    parts = [];
    held = [];
    consumed = at + REPORT_SIZE;
  }
  return { consumed, items };
}

