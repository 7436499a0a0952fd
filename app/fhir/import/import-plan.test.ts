import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { RecordedObservation } from '../../observations/observation';
import { visitsOf } from '../../visits/visit';
import { readingDevices } from '../export/clinic-resources';
import { visitResources } from '../export/visit-resources';
import { toFhirPatient } from '../patient';
import { clinicId, fromDevice, glucometer, nurseId, oximeter, patient, reading } from '../test-support';
import { importFileReader, type SourcedResource } from './import-source';
import { planImport, type ImportPlan } from './import-plan';
import type { ImportProblem } from './import-problems';

const context = { workstation: { reference: 'Device/ws-1' }, organization: { reference: 'Organization/clinic-1' }, location: { reference: 'Location/loc-1' } };
const planContext = { clinicId, importedAt: '2026-12-06T10:00:00.000Z', importedBy: 'user-admin' };

/** A visit with every kind of reading the workstation keeps, some from meters (a glucose HI among them). */
function visitReadings(): RecordedObservation[] {
  return [
    reading('respiratoryRate', 23),
    reading('spo2', 95, { ...fromDevice(oximeter), onOxygen: true, spo2Scale: 2 }),
    reading('pulse', 112, fromDevice(oximeter)),
    reading('systolic', 105),
    reading('diastolic', 70),
    reading('consciousness', 'C'),
    reading('bodyTemperature', 38.4),
    reading('bodyWeight', 61.5),
    reading('glucoseMass', 600, { ...fromDevice(glucometer, 'ff00'), comparator: '>' }),
  ];
}

async function ourExport(readings: RecordedObservation[], estimated = false): Promise<Resource[]> {
  const registered = estimated ? patient({ birthDate: undefined, estimatedAgeYears: 70 }) : patient();
  const [visit] = await visitsOf(readings, nurseId);
  return [
    toFhirPatient(registered, { clinicId, managingOrganization: context.organization }),
    ...(await readingDevices(readings, new Set())),
    ...(await visitResources(visit!, readings, context)),
  ];
}

function read(files: Record<string, string>, chunk = 7): { sourced: SourcedResource[]; problems: ImportProblem[] } {
  const sourced: SourcedResource[] = [];
  const problems: ImportProblem[] = [];
  for (const [name, text] of Object.entries(files)) {
    const reader = importFileReader(name, (found) => sourced.push(found), (found) => problems.push(found));
    // In small pieces, as the screens hand them over: lines and documents span pieces.
    for (let i = 0; i < text.length; i += chunk) reader.append(text.slice(i, i + chunk));
    reader.end();
  }
  return { sourced, problems };
}

const ndjson = (resources: readonly Resource[]) => resources.map((resource) => JSON.stringify(resource)).join('\n') + '\n';
const bundle = (resources: readonly Resource[]) =>
  JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${crypto.randomUUID()}`, resource })) });

async function plan(files: Record<string, string>): Promise<ImportPlan> {
  const { sourced, problems } = read(files);
  const planned = await planImport(sourced, planContext);
  return { ...planned, problems: [...problems, ...planned.problems] };
}

const byId = (readings: readonly RecordedObservation[]) => [...readings].sort((a, b) => a.id.localeCompare(b.id));

describe('importing our own export', () => {
  it('gives back the same patient, readings (device, raw frame, HI comparator, oxygen and scale included) and visit, from NDJSON or a Bundle', async () => {
    const readings = visitReadings();
    const resources = await ourExport(readings);
    const [visit] = await visitsOf(readings, nurseId);
    for (const files of [{ 'all.ndjson': ndjson(resources) }, { 'bundle.json': bundle(resources) }] as Record<string, string>[]) {
      const planned = await plan(files);
      expect(planned.problems).toEqual([]);
      const original = patient();
      expect(planned.patients.map((p) => ({ ...p.patient, updatedAt: undefined }))).toEqual([{ ...original, updatedAt: undefined }]);
      expect(planned.patients[0]!.match).toEqual({ storeId: original.id, clinicNumber: original.clinicNumber, nationalId: original.nationalId });
      expect(byId(planned.readings)).toEqual(byId(readings));
      expect(planned.visits).toHaveLength(1);
      expect({ ...planned.visits[0]!, observationIds: [...planned.visits[0]!.observationIds].sort() }).toEqual({ ...visit!, observationIds: [...visit!.observationIds].sort() });
      // The NEWS2 score is computed here, the Provenance and the Devices are not records of ours.
      expect(planned.skipped.computedHere).toBe(1);
      expect(planned.skipped.types).toEqual({ Provenance: 1 });
    }
  });

  it('keeps an estimated age as an estimate made at registration', async () => {
    const planned = await plan({ 'p.ndjson': ndjson(await ourExport([reading('pulse', 80)], true)) });
    const p = planned.patients[0]!.patient;
    expect(p.estimatedAgeYears).toBe(70);
    expect(p.birthDate).toBeUndefined();
    expect(p.createdAt).toBe(patient().createdAt);
  });

  it('reads the same resource twice (a Bundle and its NDJSON twin) once', async () => {
    const resources = await ourExport([reading('pulse', 80)]);
    const planned = await plan({ 'a.ndjson': ndjson(resources), 'b.ndjson': ndjson(resources) });
    expect(planned.problems).toEqual([]);
    expect(planned.patients).toHaveLength(1);
    expect(planned.readings).toHaveLength(1);
  });
});

describe('importing another system’s resources', () => {
  const foreignPatient = {
    resourceType: 'Patient',
    id: 'p1',
    identifier: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI' }] }, system: 'urn:oid:1.2.3', value: '123456/78/1' }],
    name: [{ family: 'Phiri', given: ['John', 'K'] }],
    gender: 'male',
    birthDate: '1960',
    telecom: [{ system: 'phone', value: '+260 97 765 4321' }],
  };
  const temperature = {
    resourceType: 'Observation',
    id: 'o1',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] },
    subject: { reference: 'http://other.example/fhir/Patient/p1' },
    encounter: { reference: 'Encounter/e1' },
    effectiveDateTime: '2026-11-30T08:15:00+02:00',
    valueQuantity: { value: 101.3, unit: '°F', system: 'http://unitsofmeasure.org', code: '[degF]' },
  };
  const encounter = { resourceType: 'Encounter', id: 'e1', status: 'finished', subject: { reference: 'Patient/p1' } };

  it('maps names, a year of birth (as an estimated age), national ID and phone, converts units by UCUM, and makes the Encounter a visit; ids are stable', async () => {
    const files = { 'other.ndjson': ndjson([foreignPatient, temperature, encounter] as Resource[]) };
    const first = await plan(files);
    expect(first.problems).toEqual([]);
    const p = first.patients[0]!.patient;
    expect(p).toMatchObject({ givenNames: 'John K', familyName: 'Phiri', sex: 'male', estimatedAgeYears: 66, nationalId: '123456/78/1', phone: '+260977654321' });
    expect(first.patients[0]!.match).toEqual({ storeId: undefined, clinicNumber: undefined, nationalId: '123456/78/1' });
    expect(first.readings).toMatchObject([{ kind: 'bodyTemperature', value: 38.5, unit: 'Cel', patientId: p.id, recordedBy: 'user-admin', source: { type: 'manual' } }]);
    expect(first.visits).toMatchObject([{ patientId: p.id, observationIds: [first.readings[0]!.id] }]);
    const again = await plan(files);
    expect(again.patients[0]!.patient).toEqual(p);
    expect(again.readings).toEqual(first.readings);
    expect(again.visits).toEqual(first.visits);
  });

  it('skips what the workstation does not keep, saying why', async () => {
    const files = {
      'other.ndjson': ndjson([
        foreignPatient,
        { ...temperature, id: 'o2', status: 'preliminary' },
        { ...temperature, id: 'o3', code: { coding: [{ system: 'http://loinc.org', code: '2339-0' }] } },
        { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' } },
      ] as Resource[]),
    };
    const planned = await plan(files);
    expect(planned.problems).toEqual([]);
    expect(planned.skipped).toEqual({ types: { Condition: 1 }, notFinal: 1, notKept: 1, computedHere: 0 });
  });

  it('names the file, line and FHIR path of each problem, and says what is wrong without the value', async () => {
    const files = {
      'bad.ndjson': [
        'not json',
        JSON.stringify({ ...foreignPatient, id: 'p2', birthDate: '1987-02-30' }),
        JSON.stringify({ ...foreignPatient, id: 'p3', name: [{ given: ['Nobody'] }] }),
        JSON.stringify(foreignPatient),
        JSON.stringify({ ...temperature, valueQuantity: { value: 38, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' } }),
        JSON.stringify({ ...temperature, id: 'o4', valueQuantity: { value: 61, system: 'http://unitsofmeasure.org', code: 'Cel' } }),
        JSON.stringify({ ...temperature, id: 'o5', subject: { reference: 'Patient/missing' } }),
        JSON.stringify({ ...temperature, id: 'o6', effectiveDateTime: '2026-11-30' }),
        JSON.stringify({
          ...temperature,
          id: 'o7',
          code: { coding: [{ system: 'http://loinc.org', code: '41653-7' }] },
          valueQuantity: { value: 600, comparator: '>', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
        }),
      ].join('\n'),
    };
    const planned = await plan(files);
    const seen = planned.problems.map(({ line, path, key }) => ({ line, path, key }));
    expect(seen).toEqual([
      { line: 1, path: '', key: 'import.problem.notJson' },
      { line: 2, path: 'Patient.birthDate', key: 'import.problem.notFhirDate' },
      { line: 3, path: 'Patient.name[0]', key: 'import.problem.noName' },
      { line: 5, path: 'Observation.valueQuantity.code', key: 'import.problem.unitNotConvertible' },
      { line: 6, path: 'Observation.valueQuantity.value', key: 'validation.observation.implausible' },
      { line: 7, path: 'Observation.subject', key: 'import.problem.unknownPatient' },
      { line: 8, path: 'Observation.effectiveDateTime', key: 'import.problem.noTime' },
      { line: 9, path: 'Observation.valueQuantity.comparator', key: 'import.problem.comparatorNeedsDevice' },
    ]);
    expect(planned.problems[3]!.params).toEqual({ unit: 'kg', expected: '°C' });
    expect(JSON.stringify(planned.problems)).not.toMatch(/Phiri|Nobody|1987-02-30/);
  });
});
