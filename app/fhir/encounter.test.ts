import type { Encounter } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { legacyEncounterIdOf, toFhirEncounter } from './encounter';
import type { Visit } from '../visits/visit';
import { nurseId, patientId } from './test-support';

const visit: Visit = {
  id: 'vis-0123456789abcdef0123456789abcdef',
  patientId,
  start: '2025-06-15T09:30:00+02:00',
  end: '2025-06-15T09:41:00+02:00',
  recordedAt: '2025-06-15T09:42:00+02:00',
  recordedBy: nurseId,
  observationIds: ['obs-1', 'obs-2'],
};

describe('toFhirEncounter', () => {
  it('emits a finished ambulatory visit with the patient, the nurse and when it took place', () => {
    expect(toFhirEncounter(visit, { location: { reference: 'Location/loc-1' }, serviceProvider: { reference: 'Organization/clinic-1' } })).toEqual({
      resourceType: 'Encounter',
      id: visit.id,
      identifier: [{ system: 'urn:clinic-workstation:encounter-id', value: visit.id }],
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
      subject: { reference: `Patient/${patientId}` },
      participant: [
        {
          type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PPRF', display: 'primary performer' }] }],
          individual: { reference: `Practitioner/${nurseId}` },
        },
      ],
      period: { start: '2025-06-15T09:30:00+02:00', end: '2025-06-15T09:41:00+02:00' },
      location: [{ location: { reference: 'Location/loc-1' } }],
      serviceProvider: { reference: 'Organization/clinic-1' },
    } satisfies Encounter);
  });

  it('gives readings from before visits existed one derived visit per patient, person and moment', async () => {
    const reading = { patientId, recordedBy: nurseId, recordedAt: '2025-06-15T09:30:00+02:00' };
    const id = await legacyEncounterIdOf(reading);
    expect(id).toMatch(/^enc-[0-9a-f]{32}$/);
    expect(await legacyEncounterIdOf({ ...reading })).toBe(id);
    expect(await legacyEncounterIdOf({ ...reading, recordedAt: '2025-06-15T09:31:00+02:00' })).not.toBe(id);
  });
});
