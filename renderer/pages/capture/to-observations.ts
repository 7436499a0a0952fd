import type { DeviceReading } from '../../../app/devices/decoded-item';
import { newId } from '../../store/ids';

/**
 * The observations a nurse confirms from device readings. A stored result
 * keeps the meter's own time (local, no zone: read as this workstation's
 * time); a live value is measured when the nurse confirms it.
 */
export function observationsFromReadings(readings: readonly DeviceReading[], context: { patientId: string; userId: string; onOxygen?: boolean; now: Date }): unknown[] {
  const confirmedAt = context.now.toISOString();
  return readings.map((reading) => ({
    id: newId('obs'),
    patientId: context.patientId,
    kind: reading.kind,
    code: reading.code,
    value: reading.value,
    unit: reading.unit,
    effectiveAt: reading.time ? new Date(reading.time).toISOString() : confirmedAt,
    recordedAt: confirmedAt,
    recordedBy: context.userId,
    source: { type: 'device', device: reading.device, raw: reading.raw },
    ...(reading.kind === 'spo2' && context.onOxygen !== undefined ? { onOxygen: context.onOxygen } : {}),
  }));
}
