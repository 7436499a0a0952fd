import { describe, expect, it } from 'vitest';
import type { DeviceReading } from '../../../app/devices/decoded-item';
import { observationSchema } from '../../../app/observations/observation';
import { missingBeforeStore } from './live-confirm';
import { observationsFromReadings } from './to-observations';

const oximeter = { driver: 'cms50d', manufacturer: 'Contec', model: 'CMS50D+' } as const;
const meter = { driver: 'contour-next', manufacturer: 'Ascensia', model: 'Contour Next USB' } as const;
const receivedAt = '2025-06-15T10:00:00.000Z';
const spo2: DeviceReading = { kind: 'spo2', code: '59408-5', value: 93, unit: '%', raw: '01', device: oximeter, receivedAt };
const pulse: DeviceReading = { kind: 'pulse', code: '8867-4', value: 88, unit: '/min', raw: '01', device: oximeter, receivedAt };
const high: DeviceReading = { kind: 'glucoseMass', code: '41653-7', value: 600, unit: 'mg/dL', comparator: '>', time: '2025-06-15T09:00', raw: '52', device: meter, receivedAt };
const context = { patientId: 'patient-1', userId: 'nurse-7', now: new Date('2025-06-15T10:05:00Z') };

describe('storing live oximeter values', () => {
  it('waits for the air-or-oxygen choice before an SpO2 can be stored', () => {
    expect(missingBeforeStore([], undefined)).toBe('values');
    expect(missingBeforeStore([spo2, pulse], undefined)).toBe('oxygen');
    expect(missingBeforeStore([spo2, pulse], false)).toBeUndefined();
    expect(missingBeforeStore([spo2], true)).toBeUndefined();
    // A pulse alone, or a weight, needs no choice.
    expect(missingBeforeStore([pulse], undefined)).toBeUndefined();
  });

  it('never stores an SpO2 with a silent room-air default', () => {
    expect(() => observationsFromReadings([spo2], context)).toThrow();
    const [stored] = observationsFromReadings([spo2], { ...context, onOxygen: true });
    expect(observationSchema.parse(stored)).toMatchObject({ kind: 'spo2', value: 93, onOxygen: true });
  });
});

describe('storing a glucometer result beyond its range', () => {
  it('keeps the comparator, the meter limit and the meter time', () => {
    const [stored] = observationsFromReadings([high], context);
    const parsed = observationSchema.parse(stored);
    expect(parsed).toMatchObject({ kind: 'glucoseMass', value: 600, comparator: '>', source: { type: 'device', device: meter } });
    expect(parsed.effectiveAt).toBe(new Date('2025-06-15T09:00').toISOString());
  });

  it('adds no comparator to a result within the range', () => {
    const within: DeviceReading = { kind: 'glucoseMass', code: '41653-7', value: 140, unit: 'mg/dL', time: '2025-06-15T09:00', raw: '52', device: meter, receivedAt };
    const [stored] = observationsFromReadings([within], context);
    expect(observationSchema.parse(stored)).not.toHaveProperty('comparator');
  });
});
