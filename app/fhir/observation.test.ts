import type { Observation, Quantity } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acvpuLevels } from '../clinical/news2';
import type { RecordedObservation } from '../observations/observation';
import { isUcumUnit } from '../terminology/ucum';
import { vitalKinds, vitals, type VitalKind } from '../terminology/vitals';
import { deviceIdOf } from './device';
import { fullUrlFor, isFhirId } from './ids';
import { groupReadings, toFhirBloodPressure, toFhirObservation, toFhirObservations } from './observation';
import { EXTENSION, LOINC, READING_ID, UCUM } from './systems';
import { at, fromDevice, glucometer, nurseId, ofKind, oximeter, patientId, reading } from './test-support';

const profile = (name: string) => `http://hl7.org/fhir/StructureDefinition/${name}`;
const category = (code: string, display: string) => [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code, display }] }];
const vitalSigns = category('vital-signs', 'Vital Signs');
const subject = { reference: `Patient/${patientId}` };
const performer = [{ reference: `Practitioner/${nurseId}` }];
const interpretation = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

describe('toFhirObservation', () => {
  it('emits a heart rate as a final vital sign claiming the heartrate profile, in /min', () => {
    const pulse = reading('pulse', 72);
    expect(toFhirObservation(pulse)).toEqual({
      resourceType: 'Observation',
      id: pulse.id,
      meta: { profile: [profile('heartrate')] },
      identifier: [{ system: 'urn:clinic-workstation:reading-id', value: pulse.id }],
      status: 'final',
      category: vitalSigns,
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }], text: 'Heart rate' },
      subject,
      effectiveDateTime: at,
      issued: at,
      performer,
      valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    } satisfies Observation);
  });

  it.each([
    ['spo2', 97, '%', 'vital-signs', profile('oxygensat')],
    ['pulse', 72, '/min', 'vital-signs', profile('heartrate')],
    ['respiratoryRate', 16, '/min', 'vital-signs', profile('resprate')],
    ['systolic', 120, 'mm[Hg]', 'vital-signs', profile('vitalsigns')],
    ['diastolic', 80, 'mm[Hg]', 'vital-signs', profile('vitalsigns')],
    ['bodyWeight', 61.5, 'kg', 'vital-signs', profile('bodyweight')],
    ['bodyTemperature', 37.4, 'Cel', 'vital-signs', profile('bodytemp')],
    ['glucoseMass', 104, 'mg/dL', 'laboratory', undefined],
    ['glucoseMoles', 5.8, 'mmol/L', 'laboratory', undefined],
  ] as const)('codes %s (%s) in UCUM %s, category %s, profile %s', (kind, value, unit, code, claimed) => {
    const fhir = toFhirObservation(reading(kind, value));
    expect(fhir.valueQuantity).toMatchObject({ value, system: UCUM, code: unit });
    expect(fhir.category?.[0]?.coding?.[0]?.code).toBe(code);
    expect(fhir.meta?.profile).toEqual(claimed === undefined ? undefined : [claimed]);
  });

  it('writes mm[Hg] and Cel as the codes and mmHg and °C as the units people read', () => {
    expect(toFhirObservation(reading('bodyTemperature', 37.4)).valueQuantity).toEqual({ value: 37.4, unit: '°C', system: UCUM, code: 'Cel' });
    expect(toFhirObservation(reading('systolic', 120)).valueQuantity).toEqual({ value: 120, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });
  });

  it('codes SpO2 as 2708-6 first (the oxygensat profile’s code) and 59408-5 second, with air/oxygen, scale, device and raw frame', () => {
    const spo2 = reading('spo2', 94, { ...fromDevice(oximeter, '0a1b2c'), onOxygen: true, spo2Scale: 2 });
    expect(toFhirObservation(spo2, { device: { reference: 'Device/device-1' }, encounter: { reference: 'Encounter/enc-1' } })).toEqual({
      resourceType: 'Observation',
      id: spo2.id,
      meta: { profile: [profile('oxygensat')] },
      identifier: [{ system: READING_ID, value: spo2.id }],
      status: 'final',
      category: vitalSigns,
      code: {
        coding: [
          { system: LOINC, code: '2708-6', display: 'Oxygen saturation in Arterial blood' },
          { system: LOINC, code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
        ],
        text: 'Oxygen saturation in Arterial blood by Pulse oximetry',
      },
      subject,
      encounter: { reference: 'Encounter/enc-1' },
      effectiveDateTime: at,
      issued: at,
      performer,
      device: { reference: 'Device/device-1' },
      valueQuantity: { value: 94, unit: '%', system: UCUM, code: '%' },
      extension: [
        { url: 'urn:clinic-workstation:fhir:extension:on-oxygen', valueBoolean: true },
        { url: 'urn:clinic-workstation:fhir:extension:spo2-scale', valueInteger: 2 },
        // 0a 1b 2c in base64.
        { url: 'urn:clinic-workstation:fhir:extension:raw-frame', valueBase64Binary: 'Chss' },
      ],
    } satisfies Observation);
  });

  it('leaves out air/oxygen and the scale when the reading does not say', () => {
    expect(toFhirObservation(reading('spo2', 97))).not.toHaveProperty('extension');
  });

  it('refuses a device reading without its Device, which the export would otherwise lose', () => {
    expect(() => toFhirObservation(reading('spo2', 97, fromDevice(oximeter)))).toThrow(/Device/);
  });

  it('emits consciousness as an exam finding, LOINC 67775-7 with the ACVPU letter as the coded value', () => {
    for (const level of acvpuLevels) {
      const fhir = toFhirObservation(reading('consciousness', level));
      expect(fhir.category).toEqual(category('exam', 'Exam'));
      expect(fhir).not.toHaveProperty('meta');
      expect(fhir.code).toEqual({ coding: [{ system: LOINC, code: '67775-7', display: 'Level of responsiveness' }], text: 'Level of responsiveness' });
      expect(fhir.valueCodeableConcept).toEqual({ coding: [{ system: 'urn:clinic-workstation:acvpu', code: level, display: expect.any(String) as string }], text: level });
      expect(fhir).not.toHaveProperty('valueQuantity');
    }
    expect(toFhirObservation(reading('consciousness', 'C')).valueCodeableConcept?.coding?.[0]?.display).toBe('New confusion');
  });

  it('keeps the clinic’s local offset and cuts fraction digits FHIR does not allow', () => {
    const fhir = toFhirObservation(reading('pulse', 72, { effectiveAt: '2025-06-15T09:30:00.1234567891234+05:45' }));
    expect(fhir.effectiveDateTime).toBe('2025-06-15T09:30:00.123456789+05:45');
  });
});

describe('a glucometer result beyond its range', () => {
  it('exports HI as the meter’s limit with comparator > and a critical-high interpretation, as a laboratory result', () => {
    const high = reading('glucoseMass', 600, { ...fromDevice(glucometer, '48'), comparator: '>' });
    expect(toFhirObservation(high, { device: { reference: 'Device/device-2' } })).toEqual({
      resourceType: 'Observation',
      id: high.id,
      identifier: [{ system: READING_ID, value: high.id }],
      status: 'final',
      category: category('laboratory', 'Laboratory'),
      code: {
        coding: [{ system: LOINC, code: '41653-7', display: 'Glucose [Mass/volume] in Capillary blood by Glucometer' }],
        text: 'Glucose [Mass/volume] in Capillary blood by Glucometer',
      },
      subject,
      effectiveDateTime: at,
      issued: at,
      performer,
      device: { reference: 'Device/device-2' },
      valueQuantity: { value: 600, comparator: '>', unit: 'mg/dL', system: UCUM, code: 'mg/dL' },
      interpretation: [{ coding: [{ system: interpretation, code: 'HH', display: 'Critical high' }], text: "Above the meter's measuring range" }],
      extension: [{ url: EXTENSION.rawFrame, valueBase64Binary: 'SA==' }],
    } satisfies Observation);
  });

  it('exports LO as comparator < with a critical-low interpretation', () => {
    const low = reading('glucoseMoles', 1.1, { ...fromDevice(glucometer), comparator: '<' });
    const fhir = toFhirObservation(low, { device: { reference: 'Device/device-2' } });
    expect(fhir.valueQuantity).toEqual({ value: 1.1, comparator: '<', unit: 'mmol/L', system: UCUM, code: 'mmol/L' });
    expect(fhir.interpretation).toEqual([{ coding: [{ system: interpretation, code: 'LL', display: 'Critical low' }], text: "Below the meter's measuring range" }]);
  });

  it('leaves a result within the range a plain quantity with no interpretation', () => {
    const fhir = toFhirObservation(reading('glucoseMass', 140, fromDevice(glucometer)), { device: { reference: 'Device/device-2' } });
    expect(fhir.valueQuantity).not.toHaveProperty('comparator');
    expect(fhir).not.toHaveProperty('interpretation');
  });
});

describe('toFhirBloodPressure', () => {
  it('emits the 85354-9 panel with systolic and diastolic components, no value of its own, and both readings’ ids', () => {
    const systolic = ofKind('systolic', reading('systolic', 132));
    const diastolic = ofKind('diastolic', reading('diastolic', 84));
    const component = (id: string, code: string, display: string, value: number) => ({
      extension: [{ url: EXTENSION.readingId, valueIdentifier: { system: READING_ID, value: id } }],
      code: { coding: [{ system: LOINC, code, display }], text: display },
      valueQuantity: { value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
    });
    expect(toFhirBloodPressure(systolic, diastolic, { id: 'bp-1' })).toEqual({
      resourceType: 'Observation',
      id: 'bp-1',
      meta: { profile: [profile('bp')] },
      identifier: [
        { system: READING_ID, value: systolic.id },
        { system: READING_ID, value: diastolic.id },
      ],
      status: 'final',
      category: vitalSigns,
      code: { coding: [{ system: LOINC, code: '85354-9', display: 'Blood pressure panel with all children optional' }], text: 'Blood pressure' },
      subject,
      effectiveDateTime: at,
      issued: at,
      performer,
      component: [component(systolic.id, '8480-6', 'Systolic blood pressure', 132), component(diastolic.id, '8462-4', 'Diastolic blood pressure', 84)],
    } satisfies Observation);
  });

  it('refuses to pair values from different moments, patients or sources', () => {
    const systolic = ofKind('systolic', reading('systolic', 132));
    const later = ofKind('diastolic', reading('diastolic', 84, { effectiveAt: '2025-06-15T09:31:00+02:00' }));
    const other = ofKind('diastolic', reading('diastolic', 84, { patientId: 'pat-other' }));
    const measured = ofKind('diastolic', reading('diastolic', 84, fromDevice(oximeter)));
    for (const diastolic of [later, other, measured]) expect(() => toFhirBloodPressure(systolic, diastolic, { id: 'bp-1' })).toThrow();
    // The same instant written with another offset is the same moment.
    const sameMoment = ofKind('diastolic', reading('diastolic', 84, { effectiveAt: '2025-06-15T07:30:00Z' }));
    expect(() => toFhirBloodPressure(systolic, sameMoment, { id: 'bp-1' })).not.toThrow();
  });
});

describe('toFhirObservations', () => {
  it('pairs each systolic with its diastolic into one panel and leaves the rest alone', async () => {
    const stored = [reading('systolic', 132), reading('pulse', 80), reading('diastolic', 84), reading('systolic', 140, { effectiveAt: '2025-06-15T12:00:00+02:00' })];
    expect(groupReadings(stored).map((group) => group.type)).toEqual(['bloodPressure', 'single', 'single']);
    const fhir = await toFhirObservations(stored);
    expect(fhir.map((o) => o.code.coding?.[0]?.code)).toEqual(['85354-9', '8867-4', '8480-6']);
  });

  it('gives a panel the same uuid-shaped id on every export, and each device reading its device’s Device', async () => {
    const stored = [
      reading('systolic', 132),
      reading('diastolic', 84),
      reading('spo2', 96, { ...fromDevice(oximeter), onOxygen: false }),
      reading('pulse', 70, fromDevice(oximeter)),
    ];
    const [first, second] = [await toFhirObservations(stored, { encounter: { reference: 'Encounter/enc-1' } }), await toFhirObservations(stored, { encounter: { reference: 'Encounter/enc-1' } })];
    expect(first).toEqual(second);
    const panelId = first[0]?.id ?? '';
    expect(panelId).toMatch(/^bp-[0-9a-f]{32}$/);
    expect(fullUrlFor('Observation', panelId)).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const device = { reference: `Device/${await deviceIdOf(oximeter)}` };
    expect(first.slice(1).map((o) => o.device)).toEqual([device, device]);
    expect(first.every((o) => o.encounter?.reference === 'Encounter/enc-1')).toBe(true);
  });
});

describe('every valid reading', () => {
  const allowedUnits = ['/min', 'mm[Hg]', '%', 'kg', 'Cel', 'mg/dL', 'mmol/L'];
  const fhirDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;

  const valueIn = (kind: VitalKind) => {
    const [low, high] = vitals[kind].plausible;
    return fc.double({ min: low, max: high, noNaN: true });
  };
  /** An instant written at a clinic's offset, as the store keeps it (anything zod's offset form allows). */
  const when = fc
    .tuple(
      fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
      fc.integer({ min: -23 * 4, max: 23 * 4 }).map((quarters) => quarters * 15),
    )
    .map(([date, offsetMinutes]) => {
      const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 23);
      const sign = offsetMinutes < 0 ? '-' : '+';
      const abs = Math.abs(offsetMinutes);
      return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    });
  const source = fc.oneof(fc.constant({}), fc.constantFrom(oximeter, glucometer).map((device) => fromDevice(device, 'aa55')));
  const stored: fc.Arbitrary<RecordedObservation> = fc.oneof(
    fc.constantFrom(...vitalKinds).chain((kind) =>
      fc.tuple(valueIn(kind), when, when, source, fc.boolean()).map(([value, effectiveAt, recordedAt, from, flagged]) => {
        const fromMeter = 'source' in from && (kind === 'glucoseMass' || kind === 'glucoseMoles');
        return reading(kind, value, { effectiveAt, recordedAt, ...from, ...(fromMeter && flagged ? { comparator: value > 100 ? '>' : '<' } : {}) });
      }),
    ),
    fc.tuple(fc.constantFrom(...acvpuLevels), when).map(([level, effectiveAt]) => reading('consciousness', level, { effectiveAt })),
  );

  function checkQuantity(quantity: Quantity | undefined): void {
    expect(quantity?.system).toBe(UCUM);
    expect(allowedUnits).toContain(quantity?.code);
    expect(isUcumUnit(quantity?.code ?? '')).toBe(true);
    expect(quantity?.unit).not.toBe('bpm');
  }

  it('maps to an Observation with a LOINC code, a UCUM unit from the allowed set, a valid id and FHIR date-times', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stored, { maxLength: 10 }), async (readings) => {
        for (const fhir of await toFhirObservations(readings)) {
          expect(isFhirId(fhir.id ?? '')).toBe(true);
          expect(fhir.code.coding?.[0]?.system).toBe(LOINC);
          expect(fhir.code.coding?.[0]?.code).toMatch(/^\d{1,7}-\d$/);
          expect(fhir.effectiveDateTime).toMatch(fhirDateTime);
          expect(fhir.issued).toMatch(fhirDateTime);
          expect(Date.parse(fhir.effectiveDateTime ?? '')).not.toBeNaN();
          const vitalSign = fhir.category?.[0]?.coding?.[0]?.code === 'vital-signs';
          expect(fhir.meta?.profile?.length ?? 0).toBe(vitalSign ? 1 : 0);
          if (fhir.component !== undefined) {
            expect(fhir.code.coding?.[0]?.code).toBe('85354-9');
            expect(fhir).not.toHaveProperty('valueQuantity');
            for (const component of fhir.component) checkQuantity(component.valueQuantity);
          } else if (fhir.valueCodeableConcept !== undefined) {
            expect(acvpuLevels).toContain(fhir.valueCodeableConcept.text);
          } else {
            checkQuantity(fhir.valueQuantity);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
