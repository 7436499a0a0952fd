/**
 * The Abbott FreeStyle shared HID framing (glucometer-protocols
 * "shared-hid-protocol", freestyle-hid `_session.py`, tidepool
 * `freeStyleLibreProtocol.js`): every report is 64 bytes, `[type, length,
 * payload…]`, the length (0-62) counting payload bytes only; the rest of the
 * report is padding of no meaning. No HID report id is used (hidapi writes
 * need a leading 0, which the transport adds).
 */
export const REPORT_SIZE = 64;
export const MAX_PAYLOAD = REPORT_SIZE - 2;

export const MessageType = {
  /** Host: start the HID protocol. Meter answers INIT_REPLY with payload 01. */
  init: 0x01,
  initReply: 0x71,
  /** Meter, at odd moments (some every third report): no meaning, ignored by every reader. */
  keepalive: 0x22,
  /** Meter: "unknown message type", payload 85. */
  unknownMessage: 0x30,
  /** Text commands and their replies (glucometerutils' default both ways; tidepool sends 0x21). */
  text: 0x60,
  /** Meter answers to the 0x04 / 0x05 / 0x15 identification messages Abbott's software sends first. */
  reply04: 0x34,
  serialReply05: 0x06,
  versionReply15: 0x35,
} as const;

export interface Report {
  type: number;
  payload: Uint8Array;
}

/** The type and payload of an input report, or undefined when its length byte is impossible. */
export function parseReport(report: Uint8Array): Report | undefined {
  const [type, length] = [report[0], report[1]];
  if (report.length !== REPORT_SIZE || type === undefined || length === undefined || length > MAX_PAYLOAD) return undefined;
  return { type, payload: report.subarray(2, 2 + length) };
}

/** One 64-byte report, either direction. */
export function buildReport(type: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const report = new Uint8Array(REPORT_SIZE);
  report[0] = type;
  report[1] = Math.min(payload.length, MAX_PAYLOAD);
  report.set(payload.subarray(0, MAX_PAYLOAD), 2);
  return report;
}

export const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
export const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/** A text command such as `$serlnum?`, sent as is (no CR LF, like both glucometerutils and tidepool). */
export const textCommand = (command: string): Uint8Array => buildReport(MessageType.text, ascii(command));

/** A text reply cut into as many 0x60 reports as it needs, as the meter sends it. */
export function textReports(text: string): Uint8Array[] {
  const bytes = ascii(text);
  const reports: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += MAX_PAYLOAD) reports.push(buildReport(MessageType.text, bytes.subarray(at, at + MAX_PAYLOAD)));
  return reports;
}
