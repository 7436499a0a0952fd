import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { cms50dFrame } from './drivers/cms50d/simulator';
import { distribution, monotonicMs } from './stats.benchmark';

/**
 * The device side of the pty benchmarks, run as its own process (as a real
 * oximeter is outside the workstation): writes CMS50D+ live frames, made by
 * the driver's simulator, into the simulator end of one or more socat pty
 * pairs at a fixed rate. Frame n of every port carries pleth = n mod 128, so
 * the receiver can count gaps. Each frame is its own write(2), with the
 * monotonic time taken immediately before it; a late timer is caught up
 * frame by frame, never by merging frames into one write.
 *
 * Bundled by scripts/bench.mjs next to device-bridge.benchmark.ts; started as
 * `node pty-writer.mjs '<json WriterConfig>'`, it prints one JSON
 * WriterReport on stdout when done.
 */
export interface WriterConfig {
  ports: string[];
  framesPerSecond: number;
  /** Frames per port. */
  frames: number;
  /** Report every frame's send time (one port only: the latency runs). */
  recordTimes: boolean;
  /** Wait before the first frame, so the reader is certainly listening. */
  leadInMs: number;
}

export interface WriterReport {
  framesPerPort: number;
  writes: number;
  bytes: number;
  /** Monotonic ms immediately before each frame's write (port 0), when asked. */
  sendTimesMs: number[];
  /** How late frames were written against their schedule (timer jitter, a blocked write). */
  lateMs: { p50: number; p95: number; max: number };
  cpuUserMs: number;
  cpuSystemMs: number;
  wallMs: number;
}

/** The 128 distinct frames: pleth 0-127, an oximeter reading a steady 97 % at 72 /min. */
const frames = Array.from({ length: 128 }, (_, pleth) =>
  cms50dFrame({ pleth, spo2: 97, pulse: 72, signalStrength: 8, bargraph: Math.min(15, Math.round(pleth / 8)) }),
);

function run(config: WriterConfig): Promise<WriterReport> {
  const fds = config.ports.map((path) => openSync(path, constants.O_WRONLY | constants.O_NOCTTY));
  const period = 1000 / config.framesPerSecond;
  const sendTimesMs: number[] = [];
  const late: number[] = [];
  let sent = 0;
  let writes = 0;
  let bytes = 0;
  const cpu = process.cpuUsage();
  const wallStart = monotonicMs();
  const start = wallStart + config.leadInMs;
  return new Promise((resolve) => {
    const tick = () => {
      while (sent < config.frames && start + sent * period <= monotonicMs()) {
        const frame = frames[sent % 128] ?? new Uint8Array(0);
        for (const [port, fd] of fds.entries()) {
          const now = monotonicMs();
          if (port === 0) {
            late.push(now - (start + sent * period));
            if (config.recordTimes) sendTimesMs.push(now);
          }
          bytes += writeSync(fd, frame);
          writes += 1;
        }
        sent += 1;
      }
      if (sent < config.frames) {
        setTimeout(tick, Math.max(0, start + sent * period - monotonicMs()));
        return;
      }
      for (const fd of fds) closeSync(fd);
      const used = process.cpuUsage(cpu);
      const d = distribution(late);
      resolve({
        framesPerPort: sent,
        writes,
        bytes,
        sendTimesMs,
        lateMs: { p50: d.p50, p95: d.p95, max: d.max },
        cpuUserMs: used.user / 1000,
        cpuSystemMs: used.system / 1000,
        wallMs: monotonicMs() - wallStart,
      });
    };
    setTimeout(tick, config.leadInMs);
  });
}

const config = JSON.parse(process.argv[2] ?? '{}') as WriterConfig;
void run(config).then((report) => {
  process.stdout.write(`${JSON.stringify(report)}\n`);
});
