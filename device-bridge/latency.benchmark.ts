import { constants, createReadStream, openSync } from 'node:fs';
import type { ClientDeviceEvent } from '../app/contract/client';
import { createDeviceManager, type DeviceManagerOptions } from './device-manager';
import { drivers } from './drivers/registry';
import { nodeHidFactory } from './transports/node-hid-factory';
import { serialportFactory } from './transports/serialport-factory';
import { ptyPair, runWriter, tapSerial, unplug, waitFor } from './harness.benchmark';
import type { WriterReport } from './pty-writer.benchmark';
import { createSequenceChecker, distribution, monotonicMs, type Distribution } from './stats.benchmark';
import { connectWsClient } from './ws-client.benchmark';

/** What the browser-mode host needs from the benchmark; scripts/bench.mjs supplies it (device-bridge may not import main/). */
export type StartHost = (devices: DeviceManagerOptions) => Promise<{ origin: string; token: string; close(): Promise<void> }>;

export const LATENCY_FPS = 60;
/** Frames at the start not counted: the first second, while the JIT and the reads settle. */
export const WARM_UP_FRAMES = 60;

export interface LatencyFigure {
  path: 'bare-fs' | 'device-manager' | 'websocket';
  /** Frames written; the first WARM_UP_FRAMES are not in the distributions. */
  sent: number;
  received: number;
  /** Write → the moment that frame's sample is where this path ends. */
  endToEndMs: Distribution;
  /** Write → the bytes handed over by serialport (the transport's data event), for the paths that use it. */
  transportMs?: Distribution;
  /** Frames whose measured time came out negative (would mean a clock problem; expected 0). */
  negative: number;
  sequence: { gaps: number; missing: number; repeats: number };
  /** How deliveries batched frames: deliveries (reads or events) for the measured frames. */
  deliveries: number;
  writer: WriterReport['lateMs'];
}

interface Arrivals {
  /** Arrival time of each frame, by frame index. */
  at: number[];
  deliveries: number;
}

const oneFrame = (frames: number) => ({ framesPerSecond: LATENCY_FPS, frames, recordTimes: true, leadInMs: 300 });

function figure(path: LatencyFigure['path'], writer: WriterReport, end: Arrivals, sequence: LatencyFigure['sequence'], transport?: Arrivals): LatencyFigure {
  const sent = writer.sendTimesMs;
  const measured = (arrivals: Arrivals) => {
    const values: number[] = [];
    for (let n = WARM_UP_FRAMES; n < Math.min(sent.length, arrivals.at.length); n++) values.push((arrivals.at[n] ?? 0) - (sent[n] ?? 0));
    return values;
  };
  const endToEnd = measured(end);
  return {
    path,
    sent: sent.length,
    received: end.at.length,
    endToEndMs: distribution(endToEnd),
    transportMs: transport ? distribution(measured(transport)) : undefined,
    negative: endToEnd.filter((v) => v < 0).length,
    sequence,
    deliveries: end.deliveries,
    writer: writer.lateMs,
  };
}

/** Counts 5-byte frames in a byte stream as it arrives and stamps each with the arrival of its last byte. */
function frameCounter(arrivals: Arrivals, onPleth?: (pleth: number) => void) {
  let bytes = 0;
  let partial: number[] = [];
  return (chunk: Uint8Array) => {
    const now = monotonicMs();
    arrivals.deliveries += 1;
    bytes += chunk.length;
    for (const byte of chunk) {
      partial.push(byte);
      if (partial.length === 5) {
        onPleth?.(partial[1] ?? -1);
        partial = [];
      }
    }
    while (arrivals.at.length < Math.floor(bytes / 5)) arrivals.at.push(now);
  };
}

/** The floor: the pty read with a bare fs stream, no serialport, no decoder. */
export async function bareFsLatency(writerScript: string, frames: number): Promise<LatencyFigure> {
  const pair = await ptyPair();
  const arrivals: Arrivals = { at: [], deliveries: 0 };
  const sequence = createSequenceChecker(128);
  try {
    const fd = openSync(pair.devicePort, constants.O_RDONLY | constants.O_NOCTTY);
    const stream = createReadStream('', { fd, highWaterMark: 64 * 1024 });
    const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
    stream.on('error', () => undefined); // EIO once socat is gone: the end of the run
    stream.on('data', frameCounter(arrivals, (pleth) => sequence.push(pleth)) as (chunk: string | Buffer) => void);
    const writer = await runWriter(writerScript, { ports: [pair.simulatorPort], ...oneFrame(frames) });
    await waitFor(() => arrivals.at.length >= frames, 2000);
    // A read blocked in the thread pool ends only when the pty goes away.
    await unplug(pair);
    stream.destroy();
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000))]);
    return figure('bare-fs', writer, arrivals, sequence.result());
  } finally {
    await unplug(pair);
  }
}

/** Samples of every waveform in a run.items event, in order (the manager's events, or the client's). */
function samplesOf(event: ClientDeviceEvent): number[] {
  if (event.event !== 'run.items') return [];
  return event.items.flatMap((item) => (item.type === 'waveform' ? item.samples : []));
}

/** The device manager with the production serialport transport, up to its run.items event. */
export async function deviceManagerLatency(writerScript: string, frames: number): Promise<LatencyFigure> {
  const pair = await ptyPair();
  const transport: Arrivals = { at: [], deliveries: 0 };
  const arrivals: Arrivals = { at: [], deliveries: 0 };
  const sequence = createSequenceChecker(128);
  const ended: string[] = [];
  const count = frameCounter(transport);
  const manager = createDeviceManager({
    serial: tapSerial(serialportFactory, (_path, bytes) => count(bytes)),
    hid: nodeHidFactory,
    drivers,
    fixedSerialPorts: [{ path: pair.devicePort, label: 'CMS50D+ (bench)', drivers: ['cms50d'] }],
  });
  const unsubscribe = manager.subscribe((event) => {
    const now = monotonicMs();
    if (event.event === 'run.ended') ended.push(event.reason);
    const samples = samplesOf(event);
    if (samples.length === 0) return;
    arrivals.deliveries += 1;
    for (const sample of samples) {
      arrivals.at.push(now);
      sequence.push(sample);
    }
  });
  try {
    await manager.watch();
    const runId = await manager.start(`serial:${pair.devicePort}`, 'cms50d');
    if (ended.length) throw new Error(`the reading run did not start: ${ended.join(', ')}`);
    const writer = await runWriter(writerScript, { ports: [pair.simulatorPort], ...oneFrame(frames) });
    await waitFor(() => arrivals.at.length >= frames, 2000);
    await manager.stop(runId);
    return figure('device-manager', writer, arrivals, sequence.result(), transport);
  } finally {
    unsubscribe();
    await manager.close();
    await unplug(pair);
  }
}

/** The whole path to the screen: browser-mode host, WebSocket, the app's API client validating each event. */
export async function webSocketLatency(writerScript: string, frames: number, startHost: StartHost): Promise<LatencyFigure> {
  const pair = await ptyPair();
  const transport: Arrivals = { at: [], deliveries: 0 };
  const arrivals: Arrivals = { at: [], deliveries: 0 };
  const sequence = createSequenceChecker(128);
  const count = frameCounter(transport);
  const host = await startHost({
    serial: tapSerial(serialportFactory, (_path, bytes) => count(bytes)),
    hid: nodeHidFactory,
    drivers,
    fixedSerialPorts: [{ path: pair.devicePort, label: 'CMS50D+ (bench)', drivers: ['cms50d'] }],
  });
  try {
    const client = await connectWsClient(host.origin, host.token);
    try {
      client.api.on('devices', (event) => {
        const now = monotonicMs();
        const samples = samplesOf(event);
        if (samples.length === 0) return;
        arrivals.deliveries += 1;
        for (const sample of samples) {
          arrivals.at.push(now);
          sequence.push(sample);
        }
      });
      const { runId } = await client.api.call('devices.start', { deviceId: `serial:${pair.devicePort}`, driver: 'cms50d' });
      const writer = await runWriter(writerScript, { ports: [pair.simulatorPort], ...oneFrame(frames) });
      await waitFor(() => arrivals.at.length >= frames, 2000);
      await client.api.call('devices.stop', { runId });
      return figure('websocket', writer, arrivals, sequence.result(), transport);
    } finally {
      await client.close();
    }
  } finally {
    await host.close();
    await unplug(pair);
  }
}
