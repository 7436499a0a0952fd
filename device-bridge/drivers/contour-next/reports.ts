/**
 * The Contour USB HID report layer. Every report is 64 bytes: three header
 * bytes, a length byte (0-60), then that many payload bytes. Reports from the
 * meter carry "ABC" in the header (seen in the capture in glucodump's
 * test_usbcomm.py); a length of exactly 60 means the message continues in the
 * next report. Hosts write zeros (tidepool, glucodump) or "ABC"
 * (glucometerutils) in the header; the meter ignores it, we send zeros.
 */
export const REPORT_SIZE = 64;
export const MAX_PAYLOAD = REPORT_SIZE - 4;
const HEADER = [0x41, 0x42, 0x43]; // "ABC"

/** The payload of an input report, or undefined when it is not a Contour report. */
export function reportPayload(report: Uint8Array): Uint8Array | undefined {
  if (report.length !== REPORT_SIZE || HEADER.some((b, i) => report[i] !== b)) return undefined;
  const length = report[3] ?? 0xff;
  return length <= MAX_PAYLOAD ? report.subarray(4, 4 + length) : undefined;
}

/** Splits one meter message into input reports, as the meter sends it. */
export function toInputReports(message: Uint8Array): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let at = 0; at === 0 || at < message.length; at += MAX_PAYLOAD) {
    const part = message.subarray(at, at + MAX_PAYLOAD);
    const report = new Uint8Array(REPORT_SIZE);
    report.set(HEADER);
    report[3] = part.length;
    report.set(part, 4);
    reports.push(report);
  }
  return reports;
}

/** A host-to-meter output report carrying `payload` (at most 60 bytes). */
export function outputReport(payload: Uint8Array): Uint8Array {
  const report = new Uint8Array(REPORT_SIZE);
  report[3] = payload.length;
  report.set(payload.subarray(0, MAX_PAYLOAD), 4);
  return report;
}
