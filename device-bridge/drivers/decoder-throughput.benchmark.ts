import type { DriverId } from '../../app/devices/driver-ids';
import { cms50dLiveStream } from './cms50d/simulator';
import { transferReports as contourTransfer, type SimulatedMeter as ContourMeter } from './contour-next/simulator';
import { createStreamDecoder, type DecodedItem } from './decoder';
import { transferReports as freestyleTransfer, type SimulatedMeter as FreestyleMeter } from './freestyle/simulator';
import { scaleWeighing } from './hid-scale/simulator';
import { ultra2Dump, type Ultra2Record } from './onetouch-ultra2/simulator';
import { drivers } from './registry';
import { median } from '../stats.benchmark';
import { concat } from '../../app/crypto/bytes';

/** Full-speed USB HID: at most one 64-byte report per 1 ms frame on an interrupt endpoint. */
const HID_LINK = { linkBytesPerSecond: 64_000, linkLabel: '64 kB/s (full-speed HID, 64 B/ms)' };

/** 8 MiB of serial bytes; HID streams have as many 64-byte reports as 8 MiB holds. */
export const SERIAL_STREAM_BYTES = 8 * 2 ** 20;
export const HID_STREAM_REPORTS = SERIAL_STREAM_BYTES / 64;
/** What a serial read typically hands over (a USB-serial bulk packet). */
export const SERIAL_CHUNK = 64;

interface BenchStream {
  driver: DriverId;
  /** What the stream is, for the table. */
  description: string;
  bytes: Uint8Array;
  /** How the bytes arrive: fixed-size serial reads, or whole HID reports. */
  chunk: number;
  chunkLabel: string;
  /** The device readings in the stream (frames, stored results, weight reports). */
  readings: number;
  readingUnit: string;
  /** The most the device's link can carry, for the headroom column. */
  linkBytesPerSecond: number;
  linkLabel: string;
  /** How many readings the decoded items account for; must equal `readings`. */
  countReadings(items: DecodedItem[], chunked: boolean): number;
}

export interface DecoderFigure {
  driver: DriverId;
  description: string;
  bytes: number;
  readings: number;
  readingUnit: string;
  chunkLabel: string;
  linkBytesPerSecond: number;
  linkLabel: string;
  /** Bytes the chunked pass decoded: fewer than `bytes` when it hit its time cap. */
  chunkedBytes: number;
  chunkedMs: number;
  chunkedCapped: boolean;
  oneBufferMs: number;
  chunkedMBps: number;
  oneBufferMBps: number;
  chunkedReadingsPerSecond: number;
  oneBufferReadingsPerSecond: number;
  /** Did the decoded items account for every reading, both ways? */
  complete: boolean;
  /** Reference scans of the same bytes, same run: MB/s. */
  indexOfMBps: number;
  byteSumMBps: number;
}

/** `parts` repeated until at least `minBytes`, whole repetitions only (so every message is complete). */
function repeatTo(parts: readonly Uint8Array[], minBytes: number): { bytes: Uint8Array; times: number } {
  const one = concat(parts);
  const times = Math.ceil(minBytes / one.length);
  const out = new Uint8Array(one.length * times);
  for (let k = 0; k < times; k++) out.set(one, k * one.length);
  return { bytes: out, times };
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Local meter time `minutes` after 2024-01-01 00:00, as `YYYY-MM-DDTHH:MM`. */
function meterTime(minutes: number): string {
  const d = new Date(Date.UTC(2024, 0, 1) + minutes * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
/** A varied but plausible glucose value, mg/dL. */
const glucose = (i: number) => 70 + ((i * 37) % 180);

const countType = (type: DecodedItem['type']) => (items: DecodedItem[]) => items.filter((item) => item.type === type).length;

/** One large valid stream per driver, from that driver's simulator: what a reading run of each device delivers, repeated. */
export function benchStreams(): BenchStream[] {
  const cms50dFrames = Math.ceil(SERIAL_STREAM_BYTES / 5);
  const cms50d = cms50dLiveStream({ spo2: 97, pulse: 72, samples: cms50dFrames });

  // The Ultra 2 keeps 500 results: a full-memory DMP answer, again and again.
  const ultra2Records: Ultra2Record[] = Array.from({ length: 500 }, (_, i) => ({
    time: `${meterTime(i * 97)}:${pad(i % 60)}`,
    value: glucose(i),
    meal: (['N', 'B', 'A'] as const)[i % 3],
  }));
  const ultra2 = repeatTo([ultra2Dump({ serial: 'SIM00042Y', unit: 'mg/dL', records: ultra2Records })], SERIAL_STREAM_BYTES);

  // Contour Next USB: an 800-result memory transfer, again and again.
  const contourMeter: ContourMeter = {
    product: 'Bayer7410',
    serial: '7410-0000042',
    unit: 'mg/dL',
    clock: '2024-03-05T09:30',
    results: Array.from({ length: 800 }, (_, i) => ({ value: String(glucose(i)), unit: 'mg/dL' as const, time: meterTime(i * 97), markers: i % 2 ? 'B' : 'A' })),
  };
  const contourOne = contourTransfer(contourMeter);
  const contourTimes = Math.ceil(HID_STREAM_REPORTS / contourOne.length);
  const contour = repeatTo(contourOne, contourOne.length * 64 * contourTimes);

  // FreeStyle Precision Neo: `$result?` over a 1,000-result memory (one text reply), keepalives every third report.
  const freestyleMeter: FreestyleMeter = {
    serial: 'SIMNEO1-00042',
    keepaliveEvery: 3,
    results: Array.from({ length: 1000 }, (_, i) => ({ value: glucose(i), time: meterTime(i * 97) })),
  };
  const freestyleOne = freestyleTransfer(freestyleMeter);
  const freestyleTimes = Math.ceil(HID_STREAM_REPORTS / freestyleOne.length);
  const freestyle = repeatTo(freestyleOne, freestyleOne.length * 64 * freestyleTimes);

  // A scale: patients stepping on and off, the platform reporting all the while.
  const weighing = [
    ...scaleWeighing({ weight: 724, unit: 'kg', exponent: -1, settling: 8, stable: 8 }),
    ...scaleWeighing({ weight: 1596, unit: 'lb', exponent: -1, settling: 8, stable: 8 }),
  ];
  const scaleTimes = Math.ceil(HID_STREAM_REPORTS / weighing.length);
  const scale = repeatTo(weighing, weighing.length * 6 * scaleTimes);

  return [
    {
      driver: 'cms50d',
      description: `${cms50dFrames.toLocaleString('en')} live frames`,
      bytes: cms50d,
      chunk: SERIAL_CHUNK,
      chunkLabel: `${SERIAL_CHUNK} B reads`,
      readings: cms50dFrames,
      readingUnit: 'frames',
      // 19200 baud, 8 data bits, odd parity, 1 stop bit: 11 bits a byte.
      linkBytesPerSecond: 19200 / 11,
      linkLabel: '1,745 B/s (19200 8O1)',
      countReadings: (items) => items.reduce((n, item) => n + (item.type === 'waveform' ? item.samples.length : 0), 0),
    },
    {
      driver: 'onetouch-ultra2',
      description: `${ultra2.times} full-memory dumps × 500 results`,
      bytes: ultra2.bytes,
      chunk: SERIAL_CHUNK,
      chunkLabel: `${SERIAL_CHUNK} B reads`,
      readings: ultra2.times * 500,
      readingUnit: 'results',
      linkBytesPerSecond: 9600 / 10,
      linkLabel: '960 B/s (9600 8N1)',
      countReadings: countType('reading'),
    },
    {
      driver: 'contour-next',
      description: `${contourTimes} transfers × 800 results (${(contourOne.length * contourTimes).toLocaleString('en')} reports)`,
      bytes: contour.bytes,
      chunk: 64,
      chunkLabel: 'one 64 B report',
      readings: contourTimes * 800,
      readingUnit: 'results',
      ...HID_LINK,
      countReadings: countType('reading'),
    },
    {
      driver: 'freestyle',
      description: `${freestyleTimes} downloads × 1,000 results (${(freestyleOne.length * freestyleTimes).toLocaleString('en')} reports)`,
      bytes: freestyle.bytes,
      chunk: 64,
      chunkLabel: 'one 64 B report',
      readings: freestyleTimes * 1000,
      readingUnit: 'results',
      ...HID_LINK,
      countReadings: countType('reading'),
    },
    {
      driver: 'hid-scale',
      description: `${(weighing.length * scaleTimes).toLocaleString('en')} weight reports`,
      bytes: scale.bytes,
      chunk: 6,
      chunkLabel: 'one 6 B report',
      readings: weighing.length * scaleTimes,
      readingUnit: 'reports',
      linkBytesPerSecond: 6_000,
      linkLabel: '6 kB/s (one 6 B report per ms)',
      // Every report yields exactly one item (a weight or a scale state), pushed alone or in one buffer.
      countReadings: (items) => items.length,
    },
  ];
}

interface Pass {
  ms: number;
  /** Bytes decoded: all of them, unless the pass hit its time cap. */
  bytes: number;
  readings: number;
  capped: boolean;
}

/**
 * The stream pushed through createStreamDecoder `chunk` bytes at a time, as a
 * transport delivers it. Stops at `capMs` (checked every 1,024 pushes) so a
 * pathologically slow decoder cannot stall the run; what was decoded until
 * then still gives a valid rate, since the streams repeat one reading run.
 */
function decodeChunked(stream: BenchStream, bytes: Uint8Array, capMs: number): Pass {
  const decoder = createStreamDecoder(drivers[stream.driver].decode);
  let readings = 0;
  let pushes = 0;
  const started = performance.now();
  let at = 0;
  for (; at < bytes.length; at += stream.chunk) {
    readings += stream.countReadings(decoder.push(bytes.subarray(at, at + stream.chunk)), true);
    if (++pushes % 1024 === 0 && performance.now() - started > capMs) {
      at += stream.chunk;
      const ms = performance.now() - started;
      return { ms, bytes: Math.min(at, bytes.length), readings, capped: at < bytes.length };
    }
  }
  readings += stream.countReadings(decoder.end(), true);
  return { ms: performance.now() - started, bytes: bytes.length, readings, capped: false };
}

function decodeWhole(stream: BenchStream, bytes: Uint8Array): Pass {
  const decoder = createStreamDecoder(drivers[stream.driver].decode);
  const started = performance.now();
  const items = decoder.push(bytes).concat(decoder.end());
  const ms = performance.now() - started;
  return { ms, bytes: bytes.length, readings: stream.countReadings(items, false), capped: false };
}

/** Native scan for a byte the stream never holds: memchr speed, the most any look at every byte can do. */
function indexOfScan(bytes: Uint8Array): number {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let absent = -1;
  for (let b = 0; b < 256 && absent < 0; b++) if (buffer.indexOf(b) === -1) absent = b;
  // Every value occurs (no simulator stream does that): scan for a three-byte needle instead.
  const needle = absent >= 0 ? absent : Buffer.from([0xff, 0xfe, 0xfd]);
  const started = performance.now();
  buffer.indexOf(needle);
  return performance.now() - started;
}

/** A plain JavaScript loop that reads every byte once and does nothing else: the fastest a JS decoder could be. */
function byteSum(bytes: Uint8Array): { ms: number; sum: number } {
  const started = performance.now();
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum = (sum + (bytes[i] ?? 0)) | 0;
  return { ms: performance.now() - started, sum };
}

const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

/**
 * Each driver's stream decoded through createStreamDecoder in realistic
 * chunks and in one buffer (after a warm-up over the first eighth of the
 * stream, untimed), then the two reference scans over the same bytes in the
 * same run (median of three each).
 */
export function measureDecoders(options: { chunkedCapMs: number; progress: (line: string) => void }): DecoderFigure[] {
  const figures: DecoderFigure[] = [];
  for (const stream of benchStreams()) {
    options.progress(`decoder ${stream.driver}: ${(stream.bytes.length / 1e6).toFixed(1)} MB…`);
    const warm = stream.bytes.subarray(0, Math.floor(stream.bytes.length / 8 / 64) * 64);
    decodeChunked(stream, warm, options.chunkedCapMs / 8);
    decodeWhole(stream, warm);
    const chunked = decodeChunked(stream, stream.bytes, options.chunkedCapMs);
    const whole = decodeWhole(stream, stream.bytes);
    const indexOf: number[] = [];
    const sum: number[] = [];
    for (let pass = 0; pass < 3; pass++) {
      indexOf.push(indexOfScan(stream.bytes));
      sum.push(byteSum(stream.bytes).ms);
    }
    figures.push({
      driver: stream.driver,
      description: stream.description,
      bytes: stream.bytes.length,
      readings: stream.readings,
      readingUnit: stream.readingUnit,
      chunkLabel: stream.chunkLabel,
      linkBytesPerSecond: stream.linkBytesPerSecond,
      linkLabel: stream.linkLabel,
      chunkedBytes: chunked.bytes,
      chunkedMs: chunked.ms,
      chunkedCapped: chunked.capped,
      oneBufferMs: whole.ms,
      chunkedMBps: mbps(chunked.bytes, chunked.ms),
      oneBufferMBps: mbps(whole.bytes, whole.ms),
      chunkedReadingsPerSecond: chunked.readings / (chunked.ms / 1000),
      oneBufferReadingsPerSecond: whole.readings / (whole.ms / 1000),
      complete: (chunked.capped || chunked.readings === stream.readings) && whole.readings === stream.readings,
      indexOfMBps: mbps(stream.bytes.length, median(indexOf)),
      byteSumMBps: mbps(stream.bytes.length, median(sum)),
    });
  }
  return figures;
}
