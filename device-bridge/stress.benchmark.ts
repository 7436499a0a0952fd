import { generateDataKey } from '../app/crypto/keys';
import { sealPayload } from '../app/crypto/seal';
import { encodeHlc } from '../app/records/hlc';
import { createDeviceManager } from './device-manager';
import { FRAME_LENGTH } from './drivers/cms50d/frame';
import { drivers } from './drivers/registry';
import type { PtyPair } from './simulate/pty-pair';
import { nodeHidFactory } from './transports/node-hid-factory';
import { serialportFactory } from './transports/serialport-factory';
import { ptyPair, runWriter, socatCpuSeconds, tapSerial, unplug, waitFor } from './harness.benchmark';
import type { WriterReport } from './pty-writer.benchmark';
import { createSequenceChecker, distribution, monotonicMs, type Distribution } from './stats.benchmark';

export interface StorageFigure {
  /** One-second blocks sealed (whole seconds of every channel). */
  blocks: number;
  samplesPerMinute: number;
  /** (a) the device's own frames, 5 bytes a sample. */
  rawFrameBytesPerMinute: number;
  /** The samples as one byte each (7-bit pleth): what any format must at least hold. */
  oneBytePerSampleBytesPerMinute: number;
  /** The one-second blocks as plain JSON, before sealing. */
  plainJsonBytesPerMinute: number;
  /** (b) `sealPayload` output (v1.<iv>.<ciphertext>, base64) per block. */
  sealedPayloadBytesPerMinute: number;
  /** (b) as stored: the sealed record document with its clear header, as JSON. */
  sealedRecordBytesPerMinute: number;
  /** CPU wall time to seal one minute of all channels. */
  sealMsPerMinute: number;
}

export interface StressFigure {
  channels: number;
  rateHz: number;
  seconds: number;
  sent: number;
  received: number;
  dropped: number;
  /** Gaps seen in the pleth sequence numbers (seq mod 128), over all channels. */
  gaps: number;
  repeats: number;
  /** Error items (garbled, truncated…) the decoder reported. */
  errorItems: number;
  /** run.items events that carried samples, and bytes serialport handed over. */
  events: number;
  transportBytes: number;
  /** From the writer's last frame until every sample was out of the device manager (or the 5 s limit). */
  drainMs: number;
  /** Channel 1, write → run.items, every frame. */
  latencyMs: Distribution;
  /** The benchmark process (serialport, device manager, decoders) over the run. */
  cpu: { userSeconds: number; systemSeconds: number; wallSeconds: number };
  writer: { userSeconds: number; systemSeconds: number; lateMs: WriterReport['lateMs'] };
  /** The 12 socat relays together, over their lifetime (≈ the run). */
  socatCpuSeconds?: number;
  storage: StorageFigure;
}

export const STRESS_CHANNELS = 12;
export const STRESS_RATE_HZ = 500;

/**
 * 12 CMS50D+ streams at 500 frames/s each (the device itself sends 60) over
 * 12 socat pty pairs into one device manager with the production serialport
 * transport and the real driver, one reading run per port. Frame n of every
 * channel carries pleth = n mod 128, so drops are counted twice: by totals,
 * and by gaps in the sequence.
 */
export async function waveformStress(writerScript: string, seconds: number, progress: (line: string) => void): Promise<StressFigure> {
  const frames = STRESS_RATE_HZ * seconds;
  const pairs: PtyPair[] = [];
  try {
    for (let c = 0; c < STRESS_CHANNELS; c++) pairs.push(await ptyPair());
    const channelOf = new Map(pairs.map((pair, c) => [`serial:${pair.devicePort}`, c]));
    const samples: number[][] = pairs.map(() => []);
    const checkers = pairs.map(() => createSequenceChecker(128));
    const channel1Arrivals: number[] = [];
    let errorItems = 0;
    let events = 0;
    let transportBytes = 0;
    const manager = createDeviceManager({
      serial: tapSerial(serialportFactory, (_path, bytes) => (transportBytes += bytes.length)),
      hid: nodeHidFactory,
      drivers,
      fixedSerialPorts: pairs.map((pair, c) => ({ path: pair.devicePort, label: `Channel ${c + 1} (bench)`, drivers: ['cms50d'] })),
    });
    manager.subscribe((event) => {
      if (event.event !== 'run.items') return;
      const now = monotonicMs();
      const c = channelOf.get(event.deviceId);
      if (c === undefined) return;
      let carried = false;
      for (const item of event.items) {
        if (item.type === 'error') errorItems += 1;
        if (item.type !== 'waveform') continue;
        carried = true;
        for (const sample of item.samples) {
          samples[c]?.push(sample);
          checkers[c]?.push(sample);
          if (c === 0) channel1Arrivals.push(now);
        }
      }
      if (carried) events += 1;
    });
    try {
      await manager.watch();
      const runs: string[] = [];
      for (const pair of pairs) runs.push(await manager.start(`serial:${pair.devicePort}`, 'cms50d'));
      progress(`waveform stress: ${STRESS_CHANNELS} channels × ${STRESS_RATE_HZ} frames/s for ${seconds} s…`);
      const cpuStart = process.cpuUsage();
      const wallStart = monotonicMs();
      const writer = await runWriter(writerScript, {
        ports: pairs.map((pair) => pair.simulatorPort),
        framesPerSecond: STRESS_RATE_HZ,
        frames,
        recordTimes: true,
        leadInMs: 300,
      });
      const writerDone = monotonicMs();
      await waitFor(() => samples.every((s) => s.length >= frames), 5000);
      const drainMs = monotonicMs() - writerDone;
      const cpu = process.cpuUsage(cpuStart);
      const wallSeconds = (monotonicMs() - wallStart) / 1000;
      const socat = socatCpuSeconds();
      for (const id of runs) await manager.stop(id);

      const sent = writer.framesPerPort * STRESS_CHANNELS;
      const received = samples.reduce((n, s) => n + s.length, 0);
      const latency: number[] = [];
      for (let n = 0; n < Math.min(channel1Arrivals.length, writer.sendTimesMs.length); n++) {
        latency.push((channel1Arrivals[n] ?? 0) - (writer.sendTimesMs[n] ?? 0));
      }
      const sequence = checkers.map((c) => c.result());
      progress('sealing the waveform in one-second blocks…');
      return {
        channels: STRESS_CHANNELS,
        rateHz: STRESS_RATE_HZ,
        seconds,
        sent,
        received,
        dropped: sent - received,
        gaps: sequence.reduce((n, s) => n + s.gaps, 0),
        repeats: sequence.reduce((n, s) => n + s.repeats, 0),
        errorItems,
        events,
        transportBytes,
        drainMs,
        latencyMs: distribution(latency),
        cpu: { userSeconds: cpu.user / 1e6, systemSeconds: cpu.system / 1e6, wallSeconds },
        writer: { userSeconds: writer.cpuUserMs / 1000, systemSeconds: writer.cpuSystemMs / 1000, lateMs: writer.lateMs },
        socatCpuSeconds: socat,
        storage: await storageCost(samples),
      };
    } finally {
      await manager.close();
    }
  } finally {
    await Promise.all(pairs.map(unplug));
  }
}

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * What a minute of this waveform costs to keep: each channel's samples in
 * one-second blocks, each block sealed as the app seals a record
 * (AES-256-GCM over its JSON, the clear header bound in as additional data,
 * as app/records/sealed-record.ts does) under a freshly generated data key.
 */
export async function storageCost(channels: readonly number[][]): Promise<StorageFigure> {
  const key = await generateDataKey();
  const start = Date.UTC(2026, 0, 1, 9, 0, 0);
  let blocks = 0;
  let plain = 0;
  let sealed = 0;
  let record = 0;
  let sealMs = 0;
  for (const [c, samples] of channels.entries()) {
    for (let s = 0; (s + 1) * STRESS_RATE_HZ <= samples.length; s++) {
      const at = start + s * 1000;
      const payload = {
        kind: 'pleth',
        device: 'cms50d',
        channel: c + 1,
        start: new Date(at).toISOString(),
        rateHz: STRESS_RATE_HZ,
        samples: samples.slice(s * STRESS_RATE_HZ, (s + 1) * STRESS_RATE_HZ),
      };
      const header = {
        id: `wave-${c + 1}-${at}`,
        type: 'waveform',
        clinicId: 'clinic-a',
        subject: 'pat-000001',
        updatedAt: at,
        hlc: encodeHlc({ wallMs: at, counter: 0, node: 'ws1' }),
        deleted: false,
      };
      const context = ['record', header.id, header.type, header.clinicId, header.subject, String(header.updatedAt), header.hlc, '0'];
      const began = performance.now();
      const text = await sealPayload(key, context, payload);
      sealMs += performance.now() - began;
      plain += utf8Length(JSON.stringify(payload));
      sealed += utf8Length(text);
      record += utf8Length(JSON.stringify({ ...header, sealed: text }));
      blocks += 1;
    }
  }
  // Blocks in a minute of every channel: one a second each.
  const perMinute = (total: number) => (blocks ? (total / blocks) * STRESS_CHANNELS * 60 : Number.NaN);
  const samplesPerMinute = STRESS_CHANNELS * STRESS_RATE_HZ * 60;
  return {
    blocks,
    samplesPerMinute,
    rawFrameBytesPerMinute: samplesPerMinute * FRAME_LENGTH,
    oneBytePerSampleBytesPerMinute: samplesPerMinute,
    plainJsonBytesPerMinute: perMinute(plain),
    sealedPayloadBytesPerMinute: perMinute(sealed),
    sealedRecordBytesPerMinute: perMinute(record),
    sealMsPerMinute: perMinute(sealMs),
  };
}
