import type { Observation, Quantity, Reference, Patient } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acvpuLevels, news2 } from '../clinical/news2';
import { vitalKinds, vitals, type VitalKind } from '../terminology/vitals';
import {
  ACVPU_SYSTEM,
  LOINC_SYSTEM,
  UCUM_SYSTEM,
  latestByKind,
  news2Input,
  toFhirBloodPressure,
  toFhirDevice,
  toFhirObservation,
  toFhirObservations,
} from './fhir';
import { observationSchema, type ObservationOf, type RecordedObservation } from './observation';

const patient: Reference<Patient> = { reference: 'Patient/patient-1' };
const device = { driver: 'cms50d', manufacturer: 'Contec', model: 'CMS50D+', serial: 'SN123' } as const;
const at = '2025-06-15T09:30:00+02:00';

let counter = 0;
function observation(kind: VitalKind | 'consciousness', value: number | string, extra: Record<string, unknown> = {}): RecordedObservation {
  const coded =
    kind === 'consciousness'
      ? { kind, code: '67775-7', value }
      : { kind, code: vitals[kind].loinc, value, unit: vitals[kind].unit };
  return observationSchema.parse({
    id: `obs-${++counter}`,
    patientId: 'patient-1',
    effectiveAt: at,
    recordedAt: at,
    recordedBy: 'nurse-7',
    source: { type: 'manual' },
    ...coded,
    ...extra,
  });
}

function ofKind<K extends RecordedObservation['kind']>(kind: K, o: RecordedObservation): ObservationOf<K> {
  if (o.kind !== kind) throw new Error(`expected ${kind}`);
  return o as ObservationOf<K>;
}

const fromDevice = { source: { type: 'device', device, raw: 'aa55' } };

describe('toFhirObservation', () => {
  it('emits a final vital-signs Observation with LOINC code, UCUM quantity, subject, time and performer', () => {
    const pulse = observation('pulse', 72);
    expect(toFhirObservation(pulse, patient)).toEqual({
      resourceType: 'Observation',
      id: pulse.id,
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }], text: 'Heart rate' },
      subject: { reference: 'Patient/patient-1' },
      effectiveDateTime: at,
      issued: at,
      performer: [{ reference: 'Practitioner/nurse-7' }],
      valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    } satisfies Observation);
  });

  it('writes UCUM codes as code and their usual spelling as unit', () => {
    expect(toFhirObservation(observation('bodyTemperature', 37.4), patient).valueQuantity).toEqual({ value: 37.4, unit: '°C', system: UCUM_SYSTEM, code: 'Cel' });
    expect(toFhirObservation(observation('systolic', 120), patient).valueQuantity).toEqual({ value: 120, unit: 'mmHg', system: UCUM_SYSTEM, code: 'mm[Hg]' });
  });

  it('refers to the measuring device, carried as a contained Device', () => {
    const fhir = toFhirObservation(observation('spo2', 97, fromDevice), patient);
    expect(fhir.device).toEqual({ reference: '#device' });
    expect(fhir.contained).toEqual([{ resourceType: 'Device', id: 'device', manufacturer: 'Contec', deviceName: [{ name: 'CMS50D+', type: 'model-name' }], serialNumber: 'SN123' }]);
    const manual = toFhirObservation(observation('spo2', 97), patient);
    expect(manual).not.toHaveProperty('device');
    expect(manual).not.toHaveProperty('contained');
  });

  it('emits consciousness as LOINC 67775-7 with the ACVPU letter as a coded value and its text', () => {
    for (const level of acvpuLevels) {
      const fhir = toFhirObservation(observation('consciousness', level), patient);
      expect(fhir.code).toEqual({ coding: [{ system: LOINC_SYSTEM, code: '67775-7', display: 'Level of responsiveness' }], text: 'Level of responsiveness' });
      expect(fhir.valueCodeableConcept?.text).toBe(level);
      expect(fhir.valueCodeableConcept?.coding).toEqual([{ system: ACVPU_SYSTEM, code: level, display: expect.any(String) as string }]);
      expect(fhir).not.toHaveProperty('valueQuantity');
    }
    expect(toFhirObservation(observation('consciousness', 'C'), patient).valueCodeableConcept?.coding?.[0]?.display).toBe('New confusion');
  });
});

describe('a glucometer result beyond its range', () => {
  const meter = { source: { type: 'device', device: { driver: 'contour-next', manufacturer: 'Ascensia', model: 'Contour Next USB' }, raw: '52' } };
  const interpretation = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

  it('exports the limit with its comparator and a critical-high interpretation above the range', () => {
    const fhir = toFhirObservation(observation('glucoseMass', 600, { ...meter, comparator: '>' }), patient);
    expect(fhir.valueQuantity).toEqual({ value: 600, comparator: '>', unit: 'mg/dL', system: UCUM_SYSTEM, code: 'mg/dL' });
    expect(fhir.interpretation).toEqual([{ coding: [{ system: interpretation, code: 'HH', display: 'Critical high' }], text: "Above the meter's measuring range" }]);
  });

  it('exports critical low below the range', () => {
    const fhir = toFhirObservation(observation('glucoseMass', 20, { ...meter, comparator: '<' }), patient);
    expect(fhir.valueQuantity).toMatchObject({ value: 20, comparator: '<' });
    expect(fhir.interpretation?.[0]?.coding?.[0]).toMatchObject({ code: 'LL', display: 'Critical low' });
    expect(fhir.interpretation?.[0]?.text).toBe("Below the meter's measuring range");
  });

  it('leaves a result within the range a plain quantity with no interpretation', () => {
    const fhir = toFhirObservation(observation('glucoseMass', 140, meter), patient);
    expect(fhir.valueQuantity).not.toHaveProperty('comparator');
    expect(fhir).not.toHaveProperty('interpretation');
  });
});

describe('toFhirDevice', () => {
  it('gives manufacturer, model name and serial number', () => {
    expect(toFhirDevice(device)).toEqual({ resourceType: 'Device', manufacturer: 'Contec', deviceName: [{ name: 'CMS50D+', type: 'model-name' }], serialNumber: 'SN123' });
  });

  it('leaves the serial number out when the device gives none', () => {
    expect(toFhirDevice({ driver: 'hid-scale', manufacturer: 'Seca', model: '874' })).not.toHaveProperty('serialNumber');
  });
});

describe('toFhirBloodPressure', () => {
  it('emits the 85354-9 panel with systolic and diastolic components', () => {
    const systolic = ofKind('systolic', observation('systolic', 132));
    const diastolic = ofKind('diastolic', observation('diastolic', 84));
    const panel = toFhirBloodPressure(systolic, diastolic, patient);
    expect(panel.code.coding).toEqual([{ system: LOINC_SYSTEM, code: '85354-9', display: 'Blood pressure panel with all children optional' }]);
    expect(panel.component).toEqual([
      { code: { coding: [{ system: LOINC_SYSTEM, code: '8480-6', display: 'Systolic blood pressure' }], text: 'Systolic blood pressure' }, valueQuantity: { value: 132, unit: 'mmHg', system: UCUM_SYSTEM, code: 'mm[Hg]' } },
      { code: { coding: [{ system: LOINC_SYSTEM, code: '8462-4', display: 'Diastolic blood pressure' }], text: 'Diastolic blood pressure' }, valueQuantity: { value: 84, unit: 'mmHg', system: UCUM_SYSTEM, code: 'mm[Hg]' } },
    ]);
    expect(panel).toMatchObject({ status: 'final', subject: patient, effectiveDateTime: at });
    expect(panel).not.toHaveProperty('valueQuantity');
  });

  it('refuses to pair values from different moments, patients or sources', () => {
    const systolic = ofKind('systolic', observation('systolic', 132));
    const later = ofKind('diastolic', observation('diastolic', 84, { effectiveAt: '2025-06-15T09:31:00+02:00' }));
    const other = ofKind('diastolic', observation('diastolic', 84, { patientId: 'patient-2' }));
    const measured = ofKind('diastolic', observation('diastolic', 84, fromDevice));
    for (const diastolic of [later, other, measured]) expect(() => toFhirBloodPressure(systolic, diastolic, patient)).toThrow();
    // The same instant written with another offset is the same moment.
    const sameMoment = ofKind('diastolic', observation('diastolic', 84, { effectiveAt: '2025-06-15T07:30:00Z' }));
    expect(() => toFhirBloodPressure(systolic, sameMoment, patient)).not.toThrow();
  });
});

describe('toFhirObservations', () => {
  it('pairs each systolic with its diastolic into one panel and leaves the rest alone', () => {
    const stored = [
      observation('systolic', 132),
      observation('pulse', 80),
      observation('diastolic', 84),
      observation('systolic', 140, { effectiveAt: '2025-06-15T12:00:00+02:00' }),
    ];
    const fhir = toFhirObservations(stored, patient);
    expect(fhir.map((o) => o.code.coding?.[0]?.code)).toEqual(['85354-9', '8867-4', '8480-6']);
  });
});

describe('every emitted Observation', () => {
  const valueIn = (kind: VitalKind) => {
    const [low, high] = vitals[kind].plausible;
    return fc.double({ min: low, max: high, noNaN: true });
  };
  const when = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
  const stored: fc.Arbitrary<RecordedObservation> = fc.oneof(
    fc.constantFrom(...vitalKinds).chain((kind) =>
      fc.tuple(valueIn(kind), when, fc.boolean()).map(([value, effectiveAt, viaDevice]) => observation(kind, value, { effectiveAt, ...(viaDevice ? fromDevice : {}) })),
    ),
    fc.tuple(fc.constantFrom(...acvpuLevels), when).map(([level, effectiveAt]) => observation('consciousness', level, { effectiveAt })),
  );

  function checkQuantity(loincCode: string | undefined, quantity: Quantity | undefined): void {
    const kind = vitalKinds.find((k) => vitals[k].loinc === loincCode);
    if (kind === undefined) throw new Error(`no table row for ${loincCode}`);
    expect(quantity?.system).toBe(UCUM_SYSTEM);
    expect(quantity?.code).toBe(vitals[kind].unit);
    const [low, high] = vitals[kind].plausible;
    expect(quantity?.value).toBeGreaterThanOrEqual(low);
    expect(quantity?.value).toBeLessThanOrEqual(high);
  }

  it('has LOINC codes, UCUM quantities and plausible values', () => {
    fc.assert(
      fc.property(fc.array(stored, { maxLength: 12 }), (observations) => {
        for (const fhir of toFhirObservations(observations, patient)) {
          const coding = fhir.code.coding?.[0];
          expect(coding?.system).toBe(LOINC_SYSTEM);
          expect(fhir.status).toBe('final');
          expect(fhir.category?.[0]?.coding?.[0]?.code).toBe('vital-signs');
          if (fhir.component !== undefined) {
            expect(coding?.code).toBe('85354-9');
            for (const component of fhir.component) {
              expect(component.code.coding?.[0]?.system).toBe(LOINC_SYSTEM);
              checkQuantity(component.code.coding?.[0]?.code, component.valueQuantity);
            }
          } else if (coding?.code === '67775-7') {
            expect(acvpuLevels).toContain(fhir.valueCodeableConcept?.text);
          } else {
            checkQuantity(coding?.code, fhir.valueQuantity);
          }
          if (fhir.device !== undefined) expect(fhir.contained?.[0]).toMatchObject({ resourceType: 'Device', id: 'device' });
        }
      }),
    );
  });
});

describe('latestByKind', () => {
  it('keeps the latest measurement of each kind, comparing instants across offsets', () => {
    const early = observation('pulse', 70, { effectiveAt: '2025-06-15T10:00:00+02:00' }); // 08:00Z
    const late = observation('pulse', 90, { effectiveAt: '2025-06-15T09:00:00Z' });
    const temperature = observation('bodyTemperature', 37);
    expect(latestByKind([late, early, temperature])).toEqual({ pulse: late, bodyTemperature: temperature });
    expect(latestByKind([early, late])).toEqual({ pulse: late });
  });

  it('goes by when a value was measured, then by when it was recorded', () => {
    const measuredLater = observation('pulse', 90, { effectiveAt: '2025-06-15T12:00:00Z', recordedAt: '2025-06-15T12:00:00Z' });
    const readBackLater = observation('pulse', 60, { effectiveAt: '2025-06-15T08:00:00Z', recordedAt: '2025-06-15T13:00:00Z' });
    expect(latestByKind([measuredLater, readBackLater]).pulse).toBe(measuredLater);
    const corrected = observation('pulse', 62, { effectiveAt: '2025-06-15T12:00:00Z', recordedAt: '2025-06-15T12:05:00Z' });
    expect(latestByKind([corrected, measuredLater]).pulse).toBe(corrected);
  });

  it('is empty for no observations', () => {
    expect(latestByKind([])).toEqual({});
  });
});

describe('news2Input', () => {
  const t = (hour: number) => `2025-06-15T${String(hour).padStart(2, '0')}:00:00Z`;

  it('takes the latest value of each parameter and air/oxygen and the scale from the latest SpO2', () => {
    const observations = [
      observation('respiratoryRate', 18, { effectiveAt: t(8) }),
      observation('respiratoryRate', 23, { effectiveAt: t(10) }),
      observation('spo2', 90, { effectiveAt: t(8), onOxygen: false, spo2Scale: 1 }),
      observation('spo2', 95, { effectiveAt: t(10), onOxygen: true, spo2Scale: 2 }),
      observation('systolic', 105, { effectiveAt: t(10) }),
      observation('diastolic', 70, { effectiveAt: t(10) }),
      observation('pulse', 112, { effectiveAt: t(10) }),
      observation('consciousness', 'A', { effectiveAt: t(10) }),
      observation('bodyTemperature', 38.4, { effectiveAt: t(10) }),
      observation('bodyWeight', 70, { effectiveAt: t(10) }),
    ];
    const input = news2Input(observations);
    expect(input).toEqual({ respirationRate: 23, spo2: 95, spo2Scale: 2, onOxygen: true, systolic: 105, pulse: 112, consciousness: 'A', temperature: 38.4 });
    // RR 23 (2) + scale-2 SpO2 95 on O2 (2) + oxygen (2) + SBP 105 (1) + pulse 112 (2) + alert (0) + 38.4 (1) = 10
    expect(news2(input)).toMatchObject({ total: 10, complete: true, risk: 'high' });
  });

  it('leaves air/oxygen missing when the latest SpO2 does not say, so the score is incomplete', () => {
    const input = news2Input([observation('spo2', 96, { effectiveAt: t(8), onOxygen: true }), observation('spo2', 97, { effectiveAt: t(9) })]);
    expect(input.spo2).toBe(97);
    expect(input.onOxygen).toBeUndefined();
    expect(news2(input).missing).toContain('airOrOxygen');
  });

  it('ignores observations measured before notBefore', () => {
    const observations = [observation('bodyTemperature', 39.5, { effectiveAt: t(1) }), observation('pulse', 80, { effectiveAt: t(9) })];
    expect(news2Input(observations, { notBefore: t(6) })).toMatchObject({ temperature: undefined, pulse: 80 });
    expect(news2Input(observations)).toMatchObject({ temperature: 39.5, pulse: 80 });
    expect(() => news2Input(observations, { notBefore: 'yesterday' })).toThrow();
  });

  it('refuses observations of more than one patient', () => {
    expect(() => news2Input([observation('pulse', 80), observation('pulse', 90, { patientId: 'patient-2' })])).toThrow();
  });

  it('gives an empty input for no observations', () => {
    expect(news2(news2Input([]))).toMatchObject({ total: 0, complete: false });
  });
});
