import { measureDecoders, type DecoderFigure } from './drivers/decoder-throughput.benchmark';
import { unplugAll } from './harness.benchmark';
import { WARM_UP_FRAMES, bareFsLatency, deviceManagerLatency, webSocketLatency, type LatencyFigure, type StartHost } from './latency.benchmark';
import { waveformStress, type StressFigure } from './stress.benchmark';

export type { DecoderFigure, LatencyFigure, StartHost, StressFigure };

/**
 * The device-bridge benchmarks: decoder throughput per driver, byte-arrival
 * latency over a socat pty with the production serialport transport (bare fs
 * read, device manager, and the whole WebSocket path to the app's API
 * client), and a 12-channel waveform stress. scripts/bench.mjs bundles this
 * file, pty-writer.ts and main/host/browser-host.ts with esbuild, runs
 * `runDeviceBench` and writes the figures into BENCHMARKS.md.
 */
export interface DeviceBenchOptions {
  /** The bundled pty-writer.mjs, run as the device in its own process. */
  writerScript: string;
  /** Length of the waveform stress (60 by default in the runner). */
  stressSeconds: number;
  /** Frames measured in each latency run (after WARM_UP_FRAMES not counted). */
  latencyFrames: number;
  /** Longest a chunked decoder pass may take before it stops early (its rate stays valid). */
  chunkedCapMs: number;
  /** Starts the browser-mode host; without it the WebSocket latency is skipped. */
  startHost?: StartHost;
  progress: (line: string) => void;
}

export interface DeviceBenchResult {
  latency: LatencyFigure[];
  stress: StressFigure;
  decoders: DecoderFigure[];
  seconds: number;
}

export async function runDeviceBench(options: DeviceBenchOptions): Promise<DeviceBenchResult> {
  const started = performance.now();
  const interrupted = () => void unplugAll().then(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const frames = options.latencyFrames + WARM_UP_FRAMES;
    const latency: LatencyFigure[] = [];
    options.progress(`latency, bare fs read of the pty: ${frames} frames at 60/s…`);
    latency.push(await bareFsLatency(options.writerScript, frames));
    options.progress(`latency, device manager (serialport): ${frames} frames at 60/s…`);
    latency.push(await deviceManagerLatency(options.writerScript, frames));
    if (options.startHost) {
      options.progress(`latency, browser-mode host to a WebSocket client: ${frames} frames at 60/s…`);
      latency.push(await webSocketLatency(options.writerScript, frames, options.startHost));
    }
    const stress = await waveformStress(options.writerScript, options.stressSeconds, options.progress);
    const decoders = measureDecoders({ chunkedCapMs: options.chunkedCapMs, progress: options.progress });
    return { latency, stress, decoders, seconds: (performance.now() - started) / 1000 };
  } finally {
    await unplugAll();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}
