import { describe, expect, it } from 'vitest';
import { declareCollections, replicatedCollections } from '../../app/replication/replicated-collections';
import { clinicDatabases, databaseOwner, sharedDatabases } from './naming';

// Database names as the hub, the workstation's hub link and its sync client
// all derive them from the declared collections.

const clinic = `clinic-${'a'.repeat(32)}`;
/** What hubs declared before the facility directory. */
const withoutDirectory = declareCollections(replicatedCollections.filter((collection) => collection.name !== 'facilities'));

describe('database names', () => {
  it('names one database per clinic and collection, and the shared ones once', () => {
    expect(clinicDatabases(clinic)).toEqual({ records: `${clinic}-records`, staff: `${clinic}-staff`, facilities: 'shared-facilities' });
    expect(clinicDatabases(clinic, withoutDirectory)).toEqual({ records: `${clinic}-records`, staff: `${clinic}-staff` });
    expect(sharedDatabases(withoutDirectory)).toEqual([]);
  });

  it('names a shared collection once for the whole hub, the same for every clinic', () => {
    const other = `clinic-${'b'.repeat(32)}`;
    expect(clinicDatabases(clinic).facilities).toBe('shared-facilities');
    expect(clinicDatabases(other).facilities).toBe('shared-facilities');
    expect(sharedDatabases()).toEqual(['shared-facilities']);
  });

  it('finds the collection and clinic of a name only for a declared collection in its declared scope', () => {
    expect(databaseOwner(`${clinic}-staff`)).toMatchObject({ clinicId: clinic, collection: { name: 'staff' } });
    expect(databaseOwner('shared-facilities')).toMatchObject({ clinicId: null, collection: { name: 'facilities' } });
    for (const name of ['shared-facilities', `${clinic}-facilities`, `${clinic}-other`, 'shared-records', `clinic-${'a'.repeat(31)}-records`, `${clinic}-records-x`, 'records']) {
      expect(databaseOwner(name, name === 'shared-facilities' ? withoutDirectory : replicatedCollections), name).toBeUndefined();
    }
  });
});
