/**
 * ASTM E1381 low-level framing, as glucose meters of the Bayer/Ascensia
 * Contour family use it: `STX FN text [CR] ETX|ETB C1 C2 CR LF`. The checksum
 * is the sum of the bytes from FN through ETX/ETB inclusive (so the CR that
 * ends a record's text is counted), modulo 256, as two uppercase hex digits.
 * Verified against three real frames quoted in glucodump's and
 * glucometerutils' tests (see ../contour-next/README.md).
 */
export const STX = 0x02;
export const ETX = 0x03;
export const EOT = 0x04;
export const ENQ = 0x05;
export const ACK = 0x06;
export const LF = 0x0a;
export const CR = 0x0d;
export const NAK = 0x15;
export const ETB = 0x17;

/** Frame numbers run 1, 2, … 7, 0, 1 … and are a single ASCII digit. */
export const nextFrameNumber = (fn: number): number => (fn + 1) % 8;

export function checksum(bytes: Uint8Array): string {
  let sum = 0;
  for (const b of bytes) sum = (sum + b) % 256;
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

export type FrameParse =
  | { kind: 'frame'; fn: number; text: string; final: boolean }
  | { kind: 'checksum'; expected: string; received: string }
  | { kind: 'malformed'; reason: string };

export const isHexUpper = (b: number | undefined): boolean => b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46));

/**
 * Parses exactly one frame: `bytes` must start with STX and end with the
 * frame's LF. Text may hold printable bytes only (a control byte inside it
 * means we are not looking at a frame); one CR right before ETX/ETB is the
 * record terminator and is dropped from `text`.
 */
export function parseFrame(bytes: Uint8Array): FrameParse {
  if (bytes[0] !== STX) return { kind: 'malformed', reason: 'does not start with STX' };
  const fnByte = bytes[1];
  if (fnByte === undefined || fnByte < 0x30 || fnByte > 0x37) return { kind: 'malformed', reason: 'no frame number 0-7 after STX' };
  let end = 2;
  while (end < bytes.length && bytes[end] !== ETX && bytes[end] !== ETB) end++;
  if (end >= bytes.length) return { kind: 'malformed', reason: 'no ETX or ETB' };
  if (bytes.length !== end + 5) return { kind: 'malformed', reason: 'the frame does not end with two checksum digits, CR, LF' };
  const [c1, c2, cr, lf] = [bytes[end + 1], bytes[end + 2], bytes[end + 3], bytes[end + 4]];
  if (!isHexUpper(c1) || !isHexUpper(c2) || cr !== CR || lf !== LF) {
    return { kind: 'malformed', reason: 'the frame does not end with two uppercase hex digits, CR, LF' };
  }
  const textEnd = bytes[end - 1] === CR && end - 1 >= 2 ? end - 1 : end;
  const text = bytes.subarray(2, textEnd);
  if (text.some((b) => b < 0x20 || b === 0x7f)) return { kind: 'malformed', reason: 'a control character inside the frame text' };
  const expected = checksum(bytes.subarray(1, end + 1));
  const received = latin1(bytes.subarray(end + 1, end + 3));
  if (expected !== received) return { kind: 'checksum', expected, received };
  return { kind: 'frame', fn: fnByte - 0x30, text: latin1(text), final: bytes[end] === ETX };
}

/**
 * Builds one frame holding one whole record, the way the Contour meters send
 * them: text, CR, then ETB, or ETX for the last frame of the transfer.
 */
export function buildFrame(fn: number, text: string, final: boolean): Uint8Array {
  const body = Uint8Array.from([0x30 + (fn % 8), ...Array.from(text, (c) => c.charCodeAt(0) & 0xff), CR, final ? ETX : ETB]);
  const sum = checksum(body);
  return Uint8Array.from([STX, ...body, sum.charCodeAt(0), sum.charCodeAt(1), CR, LF]);
}
