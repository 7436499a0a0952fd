import type { DecodedItem } from '../../app/devices/decoded-item';
import { createStreamDecoder } from '../drivers/decoder';
import type { Driver } from '../drivers/driver';

/** One line of `clinic-device decode` output. */
export type DecodeLine =
  | { kind: string; code: string; value: number; unit: string; time?: string }
  | { error: string; reason: string };

/**
 * Turns a capture file into decoder input. Serial captures are the raw bytes
 * the device sent; HID captures are one hex-encoded input report per line.
 */
export function captureBytes(driver: Driver, file: Uint8Array): Uint8Array {
  if (driver.transport === 'serial') return file;
  const lines = new TextDecoder().decode(file).split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const reports = lines.map((line, index) => {
    if (!/^([0-9a-fA-F]{2})+$/.test(line)) throw new Error(`Line ${index + 1} of the capture is not a hex-encoded report.`);
    return Uint8Array.from(line.match(/../g)!, (pair) => Number.parseInt(pair, 16));
  });
  const out = new Uint8Array(reports.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const report of reports) {
    out.set(report, at);
    at += report.length;
  }
  return out;
}

function toLine(item: DecodedItem): DecodeLine | undefined {
  if (item.type === 'reading') {
    const { kind, code, value, unit, time } = item.reading;
    return time === undefined ? { kind, code, value, unit } : { kind, code, value, unit, time };
  }
  if (item.type === 'error') return { error: item.error.code, reason: item.error.reason };
  return undefined;
}

/** Every reading and error in a capture, in order, as the device session would have seen them. */
export function decodeCapture(driver: Driver, file: Uint8Array): DecodeLine[] {
  const decoder = createStreamDecoder(driver.decode);
  const items = [...decoder.push(captureBytes(driver, file)), ...decoder.end()];
  return items.map(toLine).filter((line): line is DecodeLine => line !== undefined);
}
