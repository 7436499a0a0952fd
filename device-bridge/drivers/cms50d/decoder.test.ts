import { describe, expect, it } from 'vitest';
import type { DecodedItem } from '../decoder';
import { createStreamDecoder } from '../decoder';
import { decodeCms50d } from './decoder';
import { cms50dFrame, cms50dLiveStream } from './simulator';
import { toHex, concat } from '../../../app/crypto/bytes';

const readings = (items: DecodedItem[]) => items.flatMap((i) => (i.type === 'reading' ? [i.reading] : []));
const statuses = (items: DecodedItem[]) => items.flatMap((i) => (i.type === 'status' ? [i.status.status] : []));
const errors = (items: DecodedItem[]) => items.flatMap((i) => (i.type === 'error' ? [i.error] : []));

describe('CMS50D+ decoder', () => {
  it('turns a run of frames into one waveform item, then what each frame says, in order', () => {
    const bytes = concat([cms50dLiveStream({ spo2: 98, pulse: 64, samples: 30 }), cms50dLiveStream({ spo2: 96, pulse: 150, samples: 30, from: 30 })]);
    const step = decodeCms50d(bytes);
    expect(step.consumed).toBe(bytes.length);
    const [first] = step.items;
    expect(first?.type === 'waveform' && first.samples.length).toBe(60);
    expect(readings(step.items)).toHaveLength(120);
    const lastFrame = toHex(bytes.subarray(bytes.length - 5));
    expect(readings(step.items).slice(-2)).toEqual([
      { kind: 'spo2', code: '59408-5', value: 96, unit: '%', raw: lastFrame },
      { kind: 'pulse', code: '8867-4', value: 150, unit: '/min', raw: lastFrame },
    ]);
  });

  it('reports a finger taken out as a status, with no reading from those frames', () => {
    const fingerOut = cms50dLiveStream({ spo2: 0, pulse: 0, samples: 3, fingerOut: true });
    const step = decodeCms50d(fingerOut);
    expect(readings(step.items)).toEqual([]);
    expect(new Set(statuses(step.items))).toEqual(new Set(['finger-out']));
  });

  it('puts the status after the last reading when the finger comes out', () => {
    const step = decodeCms50d(concat([cms50dLiveStream({ spo2: 97, pulse: 70, samples: 1 }), cms50dLiveStream({ spo2: 0, pulse: 0, samples: 1, fingerOut: true })]));
    expect(step.items.map((i) => (i.type === 'reading' ? i.reading.kind : i.type === 'status' ? i.status.status : i.type))).toEqual([
      'waveform',
      'spo2',
      'pulse',
      'finger-out',
    ]);
  });

  it('treats the no-value markers without a flag as finger out', () => {
    const step = decodeCms50d(cms50dFrame({ spo2: 127, pulse: 255 }));
    expect(readings(step.items)).toEqual([]);
    expect(step.items).toContainEqual({ type: 'status', status: { status: 'finger-out', detail: { flag: 'no-value' }, raw: '8000407f7f' } });
  });

  it('reports probe errors and pulse searching, and takes no numbers from such frames', () => {
    const step = decodeCms50d(concat([cms50dFrame({ spo2: 97, pulse: 70, probeError: true }), cms50dFrame({ spo2: 97, pulse: 70, searching: true })]));
    expect(statuses(step.items)).toEqual(['probe-error', 'searching']);
    expect(readings(step.items)).toEqual([]);
  });

  it('refuses a pulse of 0 with the finger in, and an SpO2 over 100, as out of range', () => {
    const step = decodeCms50d(concat([cms50dFrame({ spo2: 110, pulse: 0 })]));
    expect(readings(step.items)).toEqual([]);
    expect(errors(step.items).map((e) => e.code)).toEqual(['out_of_range', 'out_of_range']);
    expect(errors(step.items)[0]?.reason).toMatch(/SpO2 of 110 %/);
  });

  it('keeps an unfinished frame for the next call', () => {
    const frame = cms50dFrame({ spo2: 97, pulse: 70, pleth: 40 });
    expect(decodeCms50d(frame.subarray(0, 3))).toEqual({ consumed: 0, items: [] });
  });

  it('skips noise up to the next frame start as one garbled item', () => {
    const good = cms50dFrame({ spo2: 97, pulse: 70, pleth: 40 });
    const noise = Uint8Array.from([0x01, 0x85, 0x02, 0x86, 0x7f]);
    const step = decodeCms50d(concat([good, noise, good]));
    expect(step.consumed).toBe(15);
    expect(errors(step.items)).toEqual([{ code: 'garbled', reason: expect.any(String) as string, raw: '018502867f' }]);
    expect(step.items[0]).toMatchObject({ type: 'waveform', samples: [40, 40] });
  });

  it('decodes a stream fed a byte at a time', () => {
    const bytes = cms50dLiveStream({ spo2: 95, pulse: 88, samples: 4 });
    const stream = createStreamDecoder(decodeCms50d);
    const items = Array.from(bytes).flatMap((b) => stream.push(Uint8Array.of(b)));
    expect(items.flatMap((i) => (i.type === 'waveform' ? i.samples : []))).toHaveLength(4);
    expect(readings(items).map((r) => r.value)).toEqual([95, 88, 95, 88, 95, 88, 95, 88]); // the decoder alone: every frame
    expect(stream.end()).toEqual([]);
  });
});

describe('CMS50D+ decoder with a long backlog', () => {
  it('splits the waveform and long noise into pieces the item contract accepts', async () => {
    const { decodedItemSchema } = await import('../../../app/devices/decoded-item');
    const backlog = concat([cms50dLiveStream({ spo2: 97, pulse: 70, samples: 3000 }), new Uint8Array(10_000).fill(0x01), cms50dFrame({ spo2: 97, pulse: 70 })]);
    const items = decodeCms50d(backlog).items;
    expect(items.filter((i) => i.type === 'waveform').map((i) => (i.type === 'waveform' ? i.samples.length : 0))).toEqual([1024, 1024, 953]);
    expect(errors(items).map((e) => e.raw.length)).toEqual([8192, 8192, 3616]);
    items.forEach((item) => decodedItemSchema.parse(item));
  });
});
