import { describe, expect, it } from 'vitest';
import { createStreamDecoder, type Decode, type DecodedItem } from './decoder';
import { countCopies } from './test-support';
import { toHex } from '../../app/crypto/bytes';

/** A decoder of LF-terminated lines that consumes nothing until a line is whole. */
const lines: Decode = (bytes) => {
  const lf = bytes.lastIndexOf(0x0a);
  return lf < 0 ? { consumed: 0, items: [] } : { consumed: lf + 1, items: [{ type: 'status', status: { status: 'ok', raw: toHex(bytes.subarray(0, lf + 1)) } }] };
};

describe('createStreamDecoder', () => {
  it('copies a long frame arriving 64 bytes at a time a bounded number of times, not once per piece', () => {
    const frame = new Uint8Array(100_000).fill(0x41);
    frame[frame.length - 1] = 0x0a;
    const counted = countCopies(lines);
    const stream = createStreamDecoder(counted.decode);
    const items: DecodedItem[] = [];
    for (let at = 0; at < frame.length; at += 64) items.push(...stream.push(frame.subarray(at, at + 64)));
    expect(items).toEqual([{ type: 'status', status: { status: 'ok', raw: toHex(frame) } }]);
    // A fresh array per push would copy about frame.length² / 128 bytes (78 MB) here.
    expect(counted.copied()).toBeLessThanOrEqual(2 * frame.length);
  });

  it('keeps the unused tail across pushes and reports it as truncated at the end', () => {
    const stream = createStreamDecoder(lines);
    expect(stream.push(Uint8Array.of(0x31, 0x0a, 0x32))).toEqual([{ type: 'status', status: { status: 'ok', raw: '310a' } }]);
    expect(stream.push(Uint8Array.of(0x33, 0x0a, 0x34))).toEqual([{ type: 'status', status: { status: 'ok', raw: '32330a' } }]);
    expect(stream.end()).toEqual([{ type: 'error', error: { code: 'truncated', reason: 'The device stopped in the middle of a message.', raw: '34' } }]);
    expect(stream.end()).toEqual([]);
  });
});
