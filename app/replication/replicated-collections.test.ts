import { describe, expect, it } from 'vitest';
import { databasesSchema, declareCollections, replicatedCollections, type ReplicatedCollection } from './replicated-collections';

// The declarations every side derives its replication from, and the promises
// no declaration can break.

const entry = (overrides: Partial<ReplicatedCollection>): ReplicatedCollection => ({ name: 'notes', content: 'sealed', direction: 'both', scope: 'clinic', writtenBy: 'workstations', ...overrides });

describe('the replicated collections', () => {
  it('declares records and staff, sealed, both ways, per clinic, written by the workstations', () => {
    expect(replicatedCollections.map((collection) => collection.name)).toEqual(['records', 'staff', 'facilities']);
    for (const collection of replicatedCollections.slice(0, 2)) expect(collection).toMatchObject({ content: 'sealed', direction: 'both', scope: 'clinic', writtenBy: 'workstations' });
  });

  it('declares the facility directory: clear, shared, pulled only, written by the hub operator', () => {
    expect(replicatedCollections.find((collection) => collection.name === 'facilities')).toEqual({ name: 'facilities', content: 'clear', direction: 'pull', scope: 'shared', writtenBy: 'hub-operator' });
  });

  it.each([
    ['clear data written by workstations', entry({ content: 'clear' }), /must be sealed/],
    ['a shared collection workstations write', entry({ scope: 'shared' }), /hub operator only/],
    ['a collection workstations write but only pull', entry({ direction: 'pull' }), /pulled only exactly when/],
    ['a collection the hub operator writes that workstations push', entry({ writtenBy: 'hub-operator', direction: 'both' }), /pulled only exactly when/],
    ['a name that is no database name', entry({ name: 'Staff Accounts' }), /lowercase/],
  ])('refuses %s', (_, bad, message) => {
    expect(() => declareCollections([bad])).toThrow(message);
  });

  it('refuses a name declared twice', () => {
    expect(() => declareCollections([...replicatedCollections, entry({ name: 'records' })])).toThrow(/declared twice/);
  });

  it('validates a databases answer as exactly one name per declared collection', () => {
    expect(databasesSchema.safeParse({ records: 'r', staff: 's', facilities: 'f' }).success).toBe(true);
    expect(databasesSchema.safeParse({ records: 'r', staff: 's' }).success).toBe(false);
    expect(databasesSchema.safeParse({ records: 'r', staff: 's', facilities: 'f', other: 'o' }).success).toBe(false);
  });
});
