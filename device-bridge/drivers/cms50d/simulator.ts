import { FRAME_LENGTH, PULSE_NONE, SPO2_NONE } from './frame';

/**
 * The bytes a CMS50D+ (older firmware) sends in live mode, for tests,
 * fixtures and the simulator command. Pure: the same options give the same
 * bytes.
 */
export interface Cms50dFrameFields {
  pleth?: number;
  spo2?: number;
  pulse?: number;
  signalStrength?: number;
  bargraph?: number;
  beep?: boolean;
  spo2Dropping?: boolean;
  searchingTooLong?: boolean;
  probeError?: boolean;
  searching?: boolean;
}

function field(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${name} must be an integer from 0 to ${max}, not ${value}`);
  return value;
}

/** One five-byte live frame. */
export function cms50dFrame(f: Cms50dFrameFields): Uint8Array {
  const pulse = field('pulse', f.pulse ?? PULSE_NONE, 255);
  const frame = new Uint8Array(FRAME_LENGTH);
  frame[0] =
    0x80 |
    field('signalStrength', f.signalStrength ?? 0, 15) |
    (f.searchingTooLong ? 0x10 : 0) |
    (f.spo2Dropping ? 0x20 : 0) |
    (f.beep ? 0x40 : 0);
  frame[1] = field('pleth', f.pleth ?? 0, 127);
  frame[2] = field('bargraph', f.bargraph ?? 0, 15) | (f.probeError ? 0x10 : 0) | (f.searching ? 0x20 : 0) | ((pulse & 0x80) >> 1);
  frame[3] = pulse & 0x7f;
  frame[4] = field('spo2', f.spo2 ?? SPO2_NONE, 127);
  return frame;
}

/** A plausible pleth shape, 0-127: a quick systolic rise and a slower fall, one cycle per beat. */
export function plethSample(index: number, pulse: number): number {
  const period = 3600 / Math.max(pulse, 1); // samples per beat at 60 Hz
  const phase = (index % period) / period;
  const level = phase < 0.15 ? phase / 0.15 : Math.exp(-(phase - 0.15) * 4);
  return Math.round(10 + 100 * level);
}

export interface Cms50dLiveOptions {
  spo2: number;
  pulse: number;
  /** How many frames (60 a second). */
  samples: number;
  fingerOut?: boolean;
  probeError?: boolean;
  searching?: boolean;
  /** Index of the first sample, so consecutive calls continue the wave. */
  from?: number;
}

/**
 * `samples` consecutive live frames. With the finger out the device flags
 * "searching too long" and sends the no-value markers and a flat pleth.
 */
export function cms50dLiveStream(o: Cms50dLiveOptions): Uint8Array {
  const out = new Uint8Array(o.samples * FRAME_LENGTH);
  const from = o.from ?? 0;
  for (let n = 0; n < o.samples; n++) {
    const index = from + n;
    const period = 3600 / Math.max(o.pulse, 1);
    const frame = o.fingerOut
      ? cms50dFrame({ searchingTooLong: true, probeError: o.probeError, searching: o.searching })
      : cms50dFrame({
          spo2: o.spo2,
          pulse: o.pulse,
          pleth: plethSample(index, o.pulse),
          signalStrength: 8,
          bargraph: Math.min(15, Math.round(plethSample(index, o.pulse) / 8)),
          beep: index % period < 1,
          probeError: o.probeError,
          searching: o.searching,
        });
    out.set(frame, n * FRAME_LENGTH);
  }
  return out;
}
