import { describe, expect, it } from 'vitest';
import { queryKinds, runPatientIndexBenchmark } from './patient-index.benchmark';
import { generateSyntheticPatients, misspell, seededRandom, typoKinds } from './synthetic-patients';

describe('synthetic patients', () => {
  it('are the same for the same seed and differ between seeds', () => {
    expect(generateSyntheticPatients(50, 9)).toEqual(generateSyntheticPatients(50, 9));
    expect(generateSyntheticPatients(50, 9)).not.toEqual(generateSyntheticPatients(50, 10));
  });

  it('have unique ids and valid-looking fields', () => {
    const patients = generateSyntheticPatients(500, 4);
    expect(new Set(patients.map((patient) => patient.id)).size).toBe(500);
    for (const patient of patients) {
      expect(patient.clinicNumber).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
      if (patient.phone !== undefined) expect(patient.phone).toMatch(/^\+?\d{7,15}$/);
    }
  });

  it('misspell changes a word by exactly one slip', () => {
    const random = seededRandom(1);
    for (const kind of typoKinds) {
      const typo = misspell('Diallo', kind, random);
      expect(typo).toBeDefined();
      expect(typo).not.toBe('Diallo');
      expect(Math.abs((typo ?? '').length - 'Diallo'.length)).toBeLessThanOrEqual(1);
    }
    expect(misspell('aaaa', 'swap', random)).toBeUndefined();
  });
});

describe('runPatientIndexBenchmark', () => {
  it('reports build, snapshot and search figures', () => {
    const result = runPatientIndexBenchmark(1500);
    expect(result.patients).toBe(1500);
    expect(result.queries).toBe(1000);
    expect(Object.keys(result.searchByKind).sort()).toEqual([...queryKinds].sort());
    expect(result.jsonBytes).toBeGreaterThan(0);
    expect(result.search.p50Ms).toBeLessThanOrEqual(result.search.p95Ms);
    expect(result.search.p95Ms).toBeLessThanOrEqual(result.search.maxMs);
    expect(result.recall).toBeGreaterThanOrEqual(0.95);
    expect(result.searchByKind.clinicNumber.foundInTop10).toBe(result.searchByKind.clinicNumber.queries);
  });
});
