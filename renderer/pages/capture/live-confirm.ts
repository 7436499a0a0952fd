import type { DeviceReading } from '../../../app/devices/decoded-item';

/**
 * What still stops the nurse from storing live values: nothing measured yet,
 * or an SpO2 without the air-or-oxygen choice. There is no default for that
 * choice on purpose: a silent "room air" for a patient on oxygen scores
 * NEWS2 two points too low.
 */
export function missingBeforeStore(shown: readonly DeviceReading[], onOxygen: boolean | undefined): 'values' | 'oxygen' | undefined {
  if (shown.length === 0) return 'values';
  if (shown.some((r) => r.kind === 'spo2') && onOxygen === undefined) return 'oxygen';
  return undefined;
}
