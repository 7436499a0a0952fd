import { describe, expect, it } from 'vitest';
import { decodeHlc, encodeHlc } from '../records/hlc';
import { workstationIdOfRecord, workstationNameSchema, workstationRecordId, workstationRecordSchema } from './workstation-record';

const workstationId = 'ws-0123456789abcdef0123456789abcdef';

describe('workstation record', () => {
  it('holds a name as a person typed it, trimmed, and nothing else', () => {
    expect(workstationRecordSchema.parse({ name: '  Front desk ' })).toEqual({ name: 'Front desk' });
    expect(workstationRecordSchema.safeParse({ name: 'Front desk', secret: 'x' }).success).toBe(false);
    expect(workstationRecordSchema.safeParse({}).success).toBe(false);
  });

  it('refuses an empty name, one over 100 characters, and control characters, as the hub’s enrollment does', () => {
    expect(workstationNameSchema.safeParse('   ').success).toBe(false);
    expect(workstationNameSchema.safeParse('x'.repeat(101)).success).toBe(false);
    expect(workstationNameSchema.safeParse('x'.repeat(100)).success).toBe(true);
    expect(workstationNameSchema.safeParse('bell\u0007').success).toBe(false);
    expect(workstationNameSchema.safeParse('right\u202eto left').success).toBe(false);
    expect(workstationNameSchema.safeParse('Salle de soins n°2 (étage)').success).toBe(true);
  });

  it('is found from the node of a clock value: its id names the workstation, and gives it back', () => {
    const { node } = decodeHlc(encodeHlc({ wallMs: 1, counter: 0, node: workstationId }));
    const id = workstationRecordId(node);
    expect(id).toBe(`workstation.${workstationId}`);
    expect(workstationIdOfRecord(id)).toBe(workstationId);
  });

  it('names no workstation for an id it did not make, and refuses to make one from what is not a workstation id', () => {
    expect(workstationIdOfRecord(workstationId)).toBeUndefined();
    expect(workstationIdOfRecord('workstation.')).toBeUndefined();
    expect(workstationIdOfRecord('audit.ws-a.0000000001')).toBeUndefined();
    expect(workstationIdOfRecord('workstation.ws a')).toBeUndefined();
    expect(() => workstationRecordId('ws.a:b')).toThrow();
    expect(() => workstationRecordId('')).toThrow();
  });
});
