import { z } from 'zod';
import { replicatedCollections, type ReplicatedCollection } from '../../app/replication/replicated-collections';

/**
 * Identifiers the hub hands out, and the database names derived from them
 * and from the declared replicated collections
 * (app/replication/replicated-collections.ts). The hub, the workstation's hub
 * link and its sync client all name databases through here.
 *
 * Clinic and workstation ids use the workstation's own id format
 * (`<prefix>-<32 lowercase hex>`, see renderer/store/ids.ts), so a clinic that
 * started offline can keep its id when it joins a hub and every id also passes
 * app/records' opaque-id rule. Lowercase hex after a letter also makes
 * `<clinicId>-records` a valid CouchDB database name (lowercase, starts with a
 * letter, only [a-z0-9_$()+/-]) on PouchDB and on Apache CouchDB alike, so the
 * client addresses the same names whichever engine is behind the front.
 */
export const clinicIdSchema = z.string().regex(/^clinic-[0-9a-f]{32}$/, 'a clinic id is "clinic-" and 32 lowercase hex digits');
export const workstationIdSchema = z.string().regex(/^ws-[0-9a-f]{32}$/, 'a workstation id is "ws-" and 32 lowercase hex digits');
export type ClinicId = z.infer<typeof clinicIdSchema>;
export type WorkstationId = z.infer<typeof workstationIdSchema>;

/**
 * One database per clinic and collection (`<clinicId>-<collection>`), or one
 * per hub for a shared collection (`shared-<collection>`): no clinic id starts
 * with `shared`, so the two never meet.
 */
export function databaseName(collection: ReplicatedCollection, clinicId: ClinicId): string {
  return collection.scope === 'shared' ? `shared-${collection.name}` : `${clinicId}-${collection.name}`;
}

/** The databases every clinic of a hub shares, one each. */
export function sharedDatabases(collections: readonly ReplicatedCollection[] = replicatedCollections): string[] {
  return collections.filter((collection) => collection.scope === 'shared').map((collection) => `shared-${collection.name}`);
}

/** The databases a workstation of this clinic replicates, keyed by collection name (shared ones included). */
export function clinicDatabases<const C extends readonly ReplicatedCollection[] = typeof replicatedCollections>(
  clinicId: ClinicId,
  collections: C = replicatedCollections as unknown as C,
): Record<C[number]['name'], string> {
  return Object.fromEntries(collections.map((collection) => [collection.name, databaseName(collection, clinicId)])) as Record<C[number]['name'], string>;
}

const clinicDatabasePattern = /^(clinic-[0-9a-f]{32})-([a-z][a-z0-9]*)$/;
const sharedDatabasePattern = /^shared-([a-z][a-z0-9]*)$/;

/**
 * The collection one of these names is for, and its clinic (null for a
 * shared collection), or undefined for any other name: somebody else's, the
 * server's, or a collection not declared.
 */
export function databaseOwner(database: string, collections: readonly ReplicatedCollection[] = replicatedCollections): { clinicId: ClinicId | null; collection: ReplicatedCollection } | undefined {
  const perClinic = clinicDatabasePattern.exec(database);
  const shared = perClinic ? undefined : sharedDatabasePattern.exec(database);
  const name = perClinic?.[2] ?? shared?.[1];
  const collection = collections.find((declared) => declared.name === name && declared.scope === (perClinic ? 'clinic' : 'shared'));
  if (!collection) return undefined;
  return { clinicId: perClinic ? perClinic[1]! : null, collection };
}
