import type { VitalKind } from '../../../app/terminology/vitals';
import { implausibility, vitals } from '../../../app/terminology/vitals';
import type { DecodedItem, DeviceStatus } from '../decoder';
import type { LiveFrame } from './frame';
import { PULSE_NONE, SPO2_NONE } from './frame';

/**
 * What one live frame means. Every frame says it all again (60 a second);
 * the device stream (drivers/repeats.ts) passes on only what changed.
 */
function status(status: DeviceStatus['status'], raw: string, detail?: Record<string, string>): DecodedItem {
  return { type: 'status', status: detail ? { status, detail, raw } : { status, raw } };
}

function measurement(kind: Extract<VitalKind, 'spo2' | 'pulse'>, value: number, raw: string): DecodedItem {
  const why = implausibility(kind, value);
  if (why !== undefined) {
    const reason = `The oximeter sent ${kind === 'spo2' ? 'an SpO2' : 'a pulse rate'} of ${value} ${vitals[kind].unit}: ${why}.`;
    return { type: 'error', error: { code: 'out_of_range', reason, raw } };
  }
  const { loinc: code, unit } = vitals[kind];
  return { type: 'reading', reading: { kind, code, value, unit, raw } };
}

export function interpretFrame(frame: LiveFrame, raw: string): DecodedItem[] {
  const out: DecodedItem[] = [];
  if (frame.probeError) out.push(status('probe-error', raw));
  if (frame.searchingTooLong) out.push(status('finger-out', raw, { flag: 'searching-too-long' }));
  if (frame.searching) out.push(status('searching', raw));
  const flagged = out.length > 0;
  const noValue = frame.spo2 === SPO2_NONE || frame.pulse === PULSE_NONE;
  // The "no value" markers without a flag still mean nothing is being measured.
  if (!flagged && noValue) out.push(status('finger-out', raw, { flag: 'no-value' }));
  // While the device is searching or faulted its numbers are not measurements.
  if (flagged || noValue) return out;
  out.push(measurement('spo2', frame.spo2, raw), measurement('pulse', frame.pulse, raw));
  return out;
}
