import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planImport } from '../../../app/fhir/import/import-plan';
import type { ImportProblem } from '../../../app/fhir/import/import-problems';
import { importFileReader, type SourcedResource } from '../../../app/fhir/import/import-source';
import type { RecordedObservation } from '../../../app/observations/observation';
import type { Visit } from '../../../app/visits/visit';
import { syntheticClinic } from './synthetic-clinic';
import { writeSample } from './write-sample';

/**
 * The round trip at clinic scale, through every format: the sample clinic
 * (every kind of reading, meters, HI and LO glucose, estimated ages, blood
 * pressure panels) written as the app exports it, then read back by the
 * import's mapping, gives the same patients, readings and visits.
 */

const root = mkdtempSync(join(tmpdir(), 'clinic-import-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function readFolder(dir: string): { sourced: SourcedResource[]; problems: ImportProblem[] } {
  const sourced: SourcedResource[] = [];
  const problems: ImportProblem[] = [];
  for (const name of readdirSync(dir).sort()) {
    const reader = importFileReader(name, (found) => sourced.push(found), (found) => problems.push(found));
    const text = readFileSync(join(dir, name), 'utf8');
    for (let at = 0; at < text.length; at += 65_536) reader.append(text.slice(at, at + 65_536));
    reader.end();
  }
  return { sourced, problems };
}

const sortedReadings = (readings: readonly RecordedObservation[]) => [...readings].sort((a, b) => a.id.localeCompare(b.id));
const sortedVisits = (visits: readonly Visit[]) => [...visits].map((visit) => ({ ...visit, observationIds: [...visit.observationIds].sort() })).sort((a, b) => a.id.localeCompare(b.id));

describe('importing the sample clinic', () => {
  for (const format of ['ndjson', 'transaction', 'collection'] as const) {
    it(`gives back every patient, reading and visit from its ${format} export`, async () => {
      const out = join(root, format);
      await writeSample({ patients: 30, seed: 11, format, out });
      const { sourced, problems } = readFolder(out);
      const clinic = syntheticClinic({ patients: 30, seed: 11 });
      const plan = await planImport(sourced, { clinicId: clinic.clinic.clinicId, importedAt: '2026-12-06T10:00:00Z', importedBy: 'user-admin' });
      expect([...problems, ...plan.problems]).toEqual([]);
      const expected = { patients: [] as unknown[], readings: [] as RecordedObservation[], visits: [] as Visit[] };
      for await (const { patient, readings, visits } of clinic.patients()) {
        expected.patients.push({ ...patient, updatedAt: undefined });
        expected.readings.push(...readings);
        expected.visits.push(...visits);
      }
      expect(plan.patients.map(({ patient }) => ({ ...patient, updatedAt: undefined }))).toEqual(expected.patients);
      expect(sortedReadings(plan.readings)).toEqual(sortedReadings(expected.readings));
      expect(sortedVisits(plan.visits)).toEqual(sortedVisits(expected.visits));
      // Glucose beyond the meter's range keeps its comparator and its meter.
      expect(plan.readings.some((reading) => 'comparator' in reading && reading.comparator !== undefined && reading.source.type === 'device')).toBe(true);
    });
  }
});
