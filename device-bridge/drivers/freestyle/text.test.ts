import { describe, expect, it } from 'vitest';
import { byteSum, hex8, parseMultiRecord, parseTextReply } from './text';

describe('FreeStyle text replies', () => {
  it('checks the sum of every byte before "CKSM:", the final CR LF included', () => {
    const message = 'SIMNEO1-00042\r\n';
    expect(hex8(byteSum(message))).toBe('00000336');
    expect(parseTextReply(`${message}CKSM:00000336\r\nCMD OK\r\n`)).toEqual({ kind: 'ok', message });
    expect(parseTextReply(`${message}CKSM:00000335\r\nCMD OK\r\n`)).toEqual({ kind: 'checksum', expected: '00000335', computed: '00000336' });
    expect(parseTextReply(`CKSM:00000000\r\nCMD Fail!\r\n`)).toEqual({ kind: 'failed', message: '' });
    expect(parseTextReply(`${message}CKSM:00000336\r\nCMD OK\r\nextra`)).toEqual({ kind: 'malformed' });
    expect(parseTextReply(`${message}CKSM:00000336\r\n`)).toEqual({ kind: 'malformed' });
  });

  it('reads multi-record messages, checking the record checksum and count', () => {
    const body = '7,2,3,4,24,7,40,0,96,0,1\r\n7,1,3,4,24,19,5,0,118,0,1\r\n';
    const sum = hex8(byteSum(body));
    expect(parseMultiRecord(`${body}2,${sum}\r\n`)).toEqual({ kind: 'records', records: ['7,2,3,4,24,7,40,0,96,0,1', '7,1,3,4,24,19,5,0,118,0,1'], trailer: `2,${sum}\r\n` });
    expect(parseMultiRecord(`${body}3,${sum}\r\n`)).toEqual({ kind: 'count', expected: 3, found: 2 });
    expect(parseMultiRecord(`${body}2,00000000\r\n`)).toMatchObject({ kind: 'checksum' });
    expect(parseMultiRecord('Log Empty\r\n')).toEqual({ kind: 'records', records: [], trailer: 'Log Empty\r\n' });
    expect(parseMultiRecord('SIMNEO1-00042\r\n')).toBeUndefined();
  });
});
