import type { Resource } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { acvpuLevels, news2 } from '../../app/clinical/news2';
import { toFhirAuditEvent, auditEventIdOf } from '../../app/fhir/audit-event';
import { deviceIdOf, toFhirDevice, toFhirWorkstation, workstationDeviceIdOf } from '../../app/fhir/device';
import { toFhirEncounter, legacyEncounterIdOf } from '../../app/fhir/encounter';
import { locationIdOf, toFhirLocation } from '../../app/fhir/location';
import { news2ObservationId, toFhirNews2Observation } from '../../app/fhir/news2-observation';
import { toFhirObservations } from '../../app/fhir/observation';
import { organizationIdOf, toFhirOrganization } from '../../app/fhir/organization';
import { patientFhirIdOf, toFhirPatient } from '../../app/fhir/patient';
import { toFhirConsent } from '../../app/fhir/consent';
import { odhResearchPolicy } from '../../app/consents/consent';
import { practitionerIdOf, practitionerRoleIdOf, toFhirPractitioner, toFhirPractitionerRole } from '../../app/fhir/practitioner';
import { provenanceIdOf, toFhirProvenance } from '../../app/fhir/provenance';
import {
  at,
  auditEntry,
  clinicId,
  fromDevice,
  glucometer,
  nurse,
  nurseId,
  oximeter,
  patient,
  patientId,
  reading,
  workstationId,
} from '../../app/fhir/test-support';
import type { RecordedObservation } from '../../app/observations/observation';
import { vitalKinds, vitals, type VitalKind } from '../../app/terminology/vitals';
import { danglingReferences } from '../../app/fhir/dangling-references';
import { referenceTo as ref } from '../../app/fhir/reference';
import { fhirErrors, loadFhirValidators } from './validators';

/**
 * Every app/fhir mapping, run on a representative clinic (a patient with a
 * visit of every kind of reading, out-of-range glucose, a blood pressure
 * panel, a NEWS2 score, devices, staff, the clinic, provenance and audit
 * entries), passes every validator: Medplum's against R4 and the
 * vital-signs profiles, the `fhir` package's, and our UCUM and calendar
 * checks. And every reference in it resolves inside it, as a strict server
 * (HAPI checks referential integrity) requires.
 */


async function representativeClinic(): Promise<Resource[]> {
  const clinic = { clinicId, name: 'Chipata Rural Health Centre' };
  const organization = toFhirOrganization(clinic, { id: await organizationIdOf(clinic) });
  const location = toFhirLocation(clinic, { id: await locationIdOf(clinic), managingOrganization: ref(organization) });
  const workstation = toFhirWorkstation({ workstationId, name: 'Front desk' }, { id: await workstationDeviceIdOf(workstationId), owner: ref(organization) });
  const practitioner = toFhirPractitioner(nurse, { id: await practitionerIdOf(nurse) });
  const admin = toFhirPractitioner({ id: 'user-00000000000000000000000000000001', displayName: 'Joseph Phiri', role: 'admin', disabled: true });
  const roles = [
    toFhirPractitionerRole(nurse, { id: await practitionerRoleIdOf(nurse), practitioner: ref(practitioner), organization: ref(organization), location: ref(location) }),
    toFhirPractitionerRole({ id: admin.id ?? '', displayName: 'Joseph Phiri', role: 'admin', disabled: true }, { id: await practitionerRoleIdOf({ id: admin.id ?? '' }), practitioner: ref(admin), organization: ref(organization) }),
  ];
  const registered = toFhirPatient(patient(), { clinicId, id: await patientFhirIdOf(patient()), managingOrganization: ref(organization), nationalIdSystem: 'urn:oid:2.16.894.1.1' });
  const estimated = toFhirPatient(
    patient({ id: 'pat-00000000000000000000000000000002', birthDate: undefined, estimatedAgeYears: 67, phone: undefined, village: undefined, address: undefined, nationalId: undefined, sex: 'unknown' }),
    { clinicId },
  );
  // A scale that reports neither maker nor model.
  const scale = { driver: 'hid-scale', manufacturer: '', model: '' } as const;
  const devices = [oximeter, glucometer, scale];
  const deviceResources = await Promise.all(devices.map(async (device) => toFhirDevice(device, { id: await deviceIdOf(device) })));

  const readings: RecordedObservation[] = [
    reading('respiratoryRate', 23),
    reading('spo2', 95, { ...fromDevice(oximeter), onOxygen: true, spo2Scale: 2 }),
    reading('pulse', 112, fromDevice(oximeter)),
    reading('systolic', 105),
    reading('diastolic', 70),
    reading('consciousness', 'A'),
    reading('bodyTemperature', 38.4),
    reading('bodyWeight', 61.25, fromDevice(scale)),
    reading('glucoseMass', 600, { ...fromDevice(glucometer, '48'), comparator: '>' }),
    reading('glucoseMoles', 1.1, { ...fromDevice(glucometer), comparator: '<' }),
    reading('glucoseMass', 104, fromDevice(glucometer)),
    reading('systolic', 150, { effectiveAt: '2025-06-15T09:35:00+02:00' }),
  ];
  const visitId = await legacyEncounterIdOf({ patientId, recordedBy: nurseId, recordedAt: at });
  const visit = { id: visitId, patientId, start: at, end: '2025-06-15T09:41:00+02:00', recordedAt: '2025-06-15T09:42:00+02:00', recordedBy: nurseId, observationIds: readings.map((r) => r.id) };
  const encounter = toFhirEncounter(visit, { location: ref(location), serviceProvider: ref(organization) });
  const observations = await toFhirObservations(readings, { encounter: ref(encounter) });

  const score = news2({ respirationRate: 23, spo2: 95, spo2Scale: 2, onOxygen: true, systolic: 105, pulse: 112, consciousness: 'A', temperature: 38.4 });
  const scored = observations.filter((o) => ['9279-1', '2708-6', '8867-4', '85354-9', '67775-7', '8310-5'].includes(o.code.coding?.[0]?.code ?? ''));
  const news2Observation = toFhirNews2Observation(score, {
    id: await news2ObservationId(visitId),
    patientId,
    encounter: ref(encounter),
    effectiveAt: at,
    derivedFrom: scored.map(ref),
    performer: ref(practitioner),
  });

  const provenanceInput = { target: observations.map(ref), recorded: at, activity: 'create' as const, userId: nurseId, workstation: ref(workstation) };
  const provenance = toFhirProvenance(provenanceInput, { id: await provenanceIdOf(provenanceInput), organization: ref(organization), location: ref(location) });

  const entry = await auditEntry();
  const recordId = `audit.${workstationId}.${String(entry.seq).padStart(10, '0')}`;
  const audit = toFhirAuditEvent({ recordId, entry }, { id: await auditEventIdOf(recordId) });

  const consent = toFhirConsent(
    { id: 'cns-0a1b2c3d4e5f', patientId: patient().id, status: 'active', policy: odhResearchPolicy, date: '2025-06-01', recordedAt: '2025-06-01T08:05:00+02:00', recordedBy: admin.id ?? '' },
    { patientFhirId: registered.id ?? '', organization: ref(organization) },
  );

  return [organization, location, workstation, practitioner, admin, ...roles, registered, consent, estimated, ...deviceResources, encounter, ...observations, news2Observation, provenance, audit];
}

const resources = await representativeClinic();
const label = (resource: Resource) => `${resource.resourceType}/${resource.id ?? '(no id)'}`;

beforeAll(() => {
  loadFhirValidators();
}, 30_000);

describe('the FHIR export of a representative clinic', () => {
  it('covers every resource type the mappings produce', () => {
    expect(new Set(resources.map((r) => r.resourceType))).toEqual(
      new Set(['Organization', 'Location', 'Device', 'Practitioner', 'PractitionerRole', 'Patient', 'Consent', 'Encounter', 'Observation', 'Provenance', 'AuditEvent']),
    );
  });

  it.each(resources.map((resource) => [label(resource), resource] as const))('%s passes every validator', (_, resource) => {
    expect(fhirErrors(resource)).toEqual([]);
  });

  it('refers only to resources it contains', () => {
    expect(danglingReferences(resources)).toEqual([]);
  });
});

describe('every valid reading', () => {
  const valueIn = (kind: VitalKind) => {
    const [low, high] = vitals[kind].plausible;
    return fc.double({ min: low, max: high, noNaN: true });
  };
  const when = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
  const stored: fc.Arbitrary<RecordedObservation> = fc.oneof(
    fc.constantFrom(...vitalKinds).chain((kind) =>
      fc.tuple(valueIn(kind), when, fc.boolean()).map(([value, effectiveAt, viaDevice]) => reading(kind, value, { effectiveAt, ...(viaDevice ? fromDevice(oximeter) : {}) })),
    ),
    fc.tuple(fc.constantFrom(...acvpuLevels), when).map(([level, effectiveAt]) => reading('consciousness', level, { effectiveAt })),
  );

  it('maps to Observations every validator passes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stored, { minLength: 1, maxLength: 6 }), async (readings) => {
        for (const observation of await toFhirObservations(readings)) expect(fhirErrors(observation)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

describe('every valid patient', () => {
  const optionalText = (text: string) => fc.option(fc.constant(text), { nil: undefined });
  const registered = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
  const born = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const stored = fc
    .record({
      sex: fc.constantFrom('female', 'male', 'other', 'unknown'),
      birth: fc.oneof(born.map((birthDate) => ({ birthDate })), fc.integer({ min: 0, max: 130 }).map((estimatedAgeYears) => ({ estimatedAgeYears }))),
      createdAt: registered,
      phone: optionalText('0971234567'),
      village: optionalText('Chipata'),
      address: optionalText('Plot 12'),
      nationalId: optionalText('123456/78/1'),
    })
    .map(({ birth, ...rest }) => patient({ birthDate: undefined, ...birth, ...rest, updatedAt: rest.createdAt }));

  it('maps to a Patient every validator passes, a date of birth or an estimated age alike', () => {
    fc.assert(
      fc.property(stored, (registeredPatient) => {
        expect(fhirErrors(toFhirPatient(registeredPatient, { clinicId }))).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
