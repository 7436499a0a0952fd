import { Message } from 'node-hl7-client';
import { describe, expect, it } from 'vitest';
import { fromDevice, glucometer, nurseId, oximeter, patient, reading } from '../fhir/test-support';
import { visitsOf } from '../visits/visit';
import { dtm, escapeText } from './er7';
import { controlIdOf, visitOruR01 } from './oru-r01';

const context = { clinic: { clinicId: 'clinic-1', name: 'Kisiwa Health Centre' }, receiving: { application: 'LABSYS', facility: 'DISTRICT|LAB' }, sentAt: '2025-06-15T10:00:00+02:00' };

/** A segment list as the independent parser reads it: each segment's fields by number. */
function parsed(text: string) {
  const message = new Message({ text });
  const field = (segment: string, index: number, path: string) => {
    const list = message.get(segment) as unknown as { get(i: number): { get(p: string): { toString(): string } } };
    return list.get(index).get(path).toString();
  };
  return { message, field, text: (path: string) => message.get(path).toString() };
}

describe('a visit as an HL7 v2.5.1 ORU^R01', () => {
  it('carries the patient, the visit and each reading with its LOINC code, UCUM unit and time, readable by another parser', async () => {
    const readings = [
      reading('pulse', 112, fromDevice(oximeter)),
      reading('spo2', 94, { ...fromDevice(oximeter), onOxygen: true }),
      reading('systolic', 128),
      reading('diastolic', 84),
      reading('consciousness', 'V'),
    ];
    const [visit] = await visitsOf(readings, nurseId);
    const text = await visitOruR01(patient({ nationalId: '123456/78/1', village: 'Kisiwa' }), visit!, readings, context);
    const { field, text: at } = parsed(text);
    expect(text.split('\r').map((line) => line.slice(0, 3))).toEqual(['MSH', 'PID', 'PV1', 'OBR', 'OBX', 'OBX', 'NTE', 'OBX', 'OBX', 'OBX', '']);
    expect(at('MSH.9.1')).toBe('ORU');
    expect(at('MSH.9.2')).toBe('R01');
    expect(at('MSH.12')).toBe('2.5.1');
    // The receiving facility's | is escaped, and comes back whole.
    expect(at('MSH.6')).toBe('DISTRICT|LAB');
    expect(at('MSH.10')).toBe(await controlIdOf(visit!));
    expect(at('MSH.10')).toHaveLength(20);
    expect(at('PID.3.1')).toBe(patient().clinicNumber);
    expect(at('PID.3.5')).toBe('MR');
    expect(at('PID.5.1')).toBe('Banda');
    expect(at('PID.5.2')).toBe('Mary Anne');
    expect(at('PID.7')).toBe('19870314');
    expect(at('PID.8')).toBe('F');
    expect(at('PV1.2')).toBe('O');
    expect(at('OBR.4.1')).toBe('85353-1');
    const codes = [0, 1, 2, 3, 4].map((i) => [field('OBX', i, '3.1'), field('OBX', i, '5.1'), field('OBX', i, '6.1'), field('OBX', i, '11')]);
    expect(codes).toEqual([
      ['8867-4', '112', '/min', 'F'],
      ['59408-5', '94', '%', 'F'],
      ['8480-6', '128', 'mm[Hg]', 'F'],
      ['8462-4', '84', 'mm[Hg]', 'F'],
      ['67775-7', 'V', '', 'F'],
    ]);
    expect(field('OBX', 0, '14')).toBe(dtm(readings[0]!.effectiveAt));
    expect(field('OBX', 0, '18.1')).toBe(oximeter.serial);
    expect(at('NTE.3')).toBe('Breathing supplemental oxygen');
  });

  it('sends a glucose beyond the meter’s range as a structured numeric flagged HH, never a plain number', async () => {
    const readings = [reading('glucoseMass', 600, { ...fromDevice(glucometer), comparator: '>' })];
    const [visit] = await visitsOf(readings, nurseId);
    const { field } = parsed(await visitOruR01(patient(), visit!, readings, context));
    expect([field('OBX', 0, '2'), field('OBX', 0, '5.1'), field('OBX', 0, '5.2'), field('OBX', 0, '8')]).toEqual(['SN', '>', '600', 'HH']);
  });

  it('keeps the same control id for the same visit, so a resend is recognised', async () => {
    const readings = [reading('pulse', 80)];
    const [visit] = await visitsOf(readings, nurseId);
    const first = parsed(await visitOruR01(patient(), visit!, readings, context)).text('MSH.10');
    const again = parsed(await visitOruR01(patient(), visit!, readings, { ...context, sentAt: '2025-06-16T10:00:00+02:00' })).text('MSH.10');
    expect(again).toBe(first);
  });

  it('escapes every delimiter in text, so a name cannot break the message', async () => {
    expect(escapeText('a|b^c&d~e\\f\ng')).toBe('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g');
    const readings = [reading('pulse', 80)];
    const [visit] = await visitsOf(readings, nurseId);
    const { text: at } = parsed(await visitOruR01(patient({ familyName: 'O|Brien^&~' }), visit!, readings, context));
    expect(at('PID.5.1')).toBe('O|Brien^&~');
  });

  it('refuses a reading that is not the visit’s', async () => {
    const readings = [reading('pulse', 80)];
    const [visit] = await visitsOf(readings, nurseId);
    await expect(visitOruR01(patient(), visit!, [...readings, reading('pulse', 81)], context)).rejects.toThrow(/not one of its readings/);
  });
});
