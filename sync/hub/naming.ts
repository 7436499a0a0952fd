import { z } from 'zod';

/**
 * Identifiers the hub hands out, and the database names derived from them.
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

/** The replicated collections (ARCHITECTURE.md: one database per clinic and collection). */
export const collections = ['records', 'staff'] as const;
export type Collection = (typeof collections)[number];
export type ClinicDatabases = Record<Collection, string>;

export function clinicDatabases(clinicId: ClinicId): ClinicDatabases {
  return { records: `${clinicId}-records`, staff: `${clinicId}-staff` };
}

/** Any name this scheme can produce; everything else is somebody else's or the server's. */
export const databaseNamePattern = /^(clinic-[0-9a-f]{32})-(records|staff)$/;

/** The clinic and collection one of these names is for, or undefined for any other name. */
export function databaseOwner(database: string): { clinicId: ClinicId; collection: Collection } | undefined {
  const match = databaseNamePattern.exec(database);
  return match ? { clinicId: match[1]!, collection: match[2] as Collection } : undefined;
}
