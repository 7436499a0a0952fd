import type { DeviceReading } from '../../../app/devices/decoded-item';
import { newId } from '../../store/ids';

/**
 * The observations a nurse confirms from device readings. A stored result
 * keeps the meter's own time (local, no zone: read as this workstation's
 * time); a live value is measured when the nurse confirms it. A result
 * beyond the meter's range keeps its comparator, so it is never stored as
 * an ordinary number.
 */
export function observationsFromReadings(readings: readonly DeviceReading[], context: { patientId: string; userId: string; onOxygen?: boolean; now: Date }): unknown[] {
  // The screen asks for the choice before it stores; this keeps a default from creeping in elsewhere.
  if (readings.some((r) => r.kind === 'spo2') && context.onOxygen === undefined) throw new Error('an SpO2 reading needs the air-or-oxygen choice');
  const confirmedAt = context.now.toISOString();
  return readings.map((reading) => ({
    id: newId('obs'),
    patientId: context.patientId,
    kind: reading.kind,
    code: reading.code,
    value: reading.value,
    unit: reading.unit,
    ...(reading.comparator === undefined ? {} : { comparator: reading.comparator }),
    effectiveAt: reading.time ? new Date(reading.time).toISOString() : confirmedAt,
    recordedAt: confirmedAt,
    recordedBy: context.userId,
    source: { type: 'device', device: reading.device, raw: reading.raw },
    ...(reading.kind === 'spo2' && context.onOxygen !== undefined ? { onOxygen: context.onOxygen } : {}),
  }));
}
