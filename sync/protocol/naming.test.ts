import { describe, expect, it } from 'vitest';
import { declareCollections, replicatedCollections } from '../../app/replication/replicated-collections';
import { clinicDatabases, databaseOwner, sharedDatabases } from './naming';

// Database names as the hub, the workstation's hub link and its sync client
// all derive them from the declared collections.

const clinic = `clinic-${'a'.repeat(32)}`;
const facilities = { name: 'facilities', content: 'clear', direction: 'pull', scope: 'shared', writtenBy: 'hub-operator' } as const;
const withDirectory = declareCollections([...replicatedCollections, facilities]);

describe('database names', () => {
  it('names one database per clinic and collection, as every hub so far has', () => {
    expect(clinicDatabases(clinic)).toEqual({ records: `${clinic}-records`, staff: `${clinic}-staff` });
    expect(sharedDatabases()).toEqual([]);
  });

  it('names a shared collection once for the whole hub, the same for every clinic', () => {
    const other = `clinic-${'b'.repeat(32)}`;
    expect(clinicDatabases(clinic, withDirectory).facilities).toBe('shared-facilities');
    expect(clinicDatabases(other, withDirectory).facilities).toBe('shared-facilities');
    expect(sharedDatabases(withDirectory)).toEqual(['shared-facilities']);
  });

  it('finds the collection and clinic of a name only for a declared collection in its declared scope', () => {
    expect(databaseOwner(`${clinic}-staff`)).toMatchObject({ clinicId: clinic, collection: { name: 'staff' } });
    expect(databaseOwner('shared-facilities', withDirectory)).toMatchObject({ clinicId: null, collection: { name: 'facilities' } });
    for (const name of ['shared-facilities', `${clinic}-facilities`, `${clinic}-other`, 'shared-records', `clinic-${'a'.repeat(31)}-records`, `${clinic}-records-x`, 'records']) {
      expect(databaseOwner(name, name === 'shared-facilities' ? replicatedCollections : withDirectory), name).toBeUndefined();
    }
  });
});
