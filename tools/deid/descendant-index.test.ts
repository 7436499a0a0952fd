import { describe, expect, it } from 'vitest';
import { DescendantIndex, selectNodes } from '../../app/deid/fhir-nodes';
import { odhRules } from '../../app/deid/deid-run';
import { safeHarborRules } from '../../app/deid/profiles/safe-harbor';
import { phiCase } from './phi-corpus';

describe('rules by type served from one walk of the record', () => {
  it('select exactly what fhirpath.js selects, in the same order, for every rule of the shipped profiles', () => {
    const { resources, bundle } = phiCase();
    const paths = [...new Set([...safeHarborRules().fhirPathRules, ...safeHarborRules('month').fhirPathRules, ...odhRules().fhirPathRules].map((rule) => rule.path))];
    const indexed = paths.filter((path) => path.startsWith('descendants().ofType('));
    expect(indexed.length).toBeGreaterThan(10);
    for (const resource of [...resources, bundle]) {
      const index = new DescendantIndex(resource);
      for (const path of paths) {
        const plain = selectNodes(resource, path).map((place) => [place.parent, place.key, place.index]);
        const fast = selectNodes(resource, path, index).map((place) => [place.parent, place.key, place.index]);
        expect(fast.length, `${String(resource['resourceType'])} ${path}`).toBe(plain.length);
        fast.forEach(([parent, key, at], i) => {
          expect(parent, path).toBe(plain[i]![0]);
          expect([key, at], path).toEqual([plain[i]![1], plain[i]![2]]);
        });
      }
    }
  });
});
