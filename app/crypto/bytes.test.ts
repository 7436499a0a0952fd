import { describe, expect, it } from 'vitest';
import { concat, toHex } from './bytes';

describe('toHex', () => {
  it('gives two lowercase digits a byte, as Node does, for every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, byte) => byte);
    expect(toHex(all)).toBe(Buffer.from(all).toString('hex'));
    expect(toHex(new Uint8Array())).toBe('');
  });

  it('reads only the view it is given, not the rest of its buffer', () => {
    expect(toHex(Uint8Array.from([0xaa, 0x01, 0xfe, 0xbb]).subarray(1, 3))).toBe('01fe');
  });
});

describe('concat', () => {
  it('joins the parts in order, views included', () => {
    const backing = Uint8Array.from([9, 1, 2, 9]);
    expect([...concat([Uint8Array.from([0]), backing.subarray(1, 3), new Uint8Array(), Uint8Array.from([3])])]).toEqual([0, 1, 2, 3]);
    expect(concat([])).toEqual(new Uint8Array());
  });

  it('copies even a single part, so reusing the source buffer leaves the result alone', () => {
    const source = Uint8Array.from([1, 2, 3]);
    const joined = concat([source]);
    source.fill(0);
    expect([...joined]).toEqual([1, 2, 3]);
    expect(joined.buffer).not.toBe(source.buffer);
  });
});
