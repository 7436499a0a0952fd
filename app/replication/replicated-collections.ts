import { z } from 'zod';

/**
 * The collections a workstation replicates with its hub, declared once. Every
 * side derives what it does from this list: the hub its databases, its
 * allow-list and its document checks (sync/hub), the database names
 * (sync/protocol/naming.ts), the `hub.status` answer (app/contract/api.ts) and
 * the sync client's replications (sync/client/clinic-sync.ts). A new
 * collection is a new entry here plus its own code (its documents' schema on
 * the workstation, and, when workstations write it, its shape on the hub).
 *
 * It lives in app/ because the API contract, which may import only app/,
 * validates the databases by it; it is plain data, so every runtime can read it.
 */

/**
 * One replicated collection.
 *  - `content`: `sealed` documents carry their data encrypted under the clinic
 *    key (only a clear header beside it); `clear` ones are readable by the hub.
 *  - `direction`, seen from the workstation: `both`, `pull` (read from the hub
 *    only) or `push` (sent to the hub only, never read back by the feed).
 *  - `scope`: one database per `clinic`, or one `shared` by every clinic of the hub.
 *  - `writtenBy`: the clinic's `workstations`, or only the `hub-operator`
 *    (through the hub's own commands, never through workstation credentials).
 */
export const replicatedCollectionSchema = z
  .strictObject({
    /** Part of the database name (sync/protocol/naming.ts): lowercase, as CouchDB database names must be. */
    name: z.string().regex(/^[a-z][a-z0-9]{0,30}$/, 'a collection name is a lowercase letter, then up to 30 lowercase letters or digits'),
    content: z.enum(['sealed', 'clear']),
    direction: z.enum(['both', 'pull', 'push']),
    scope: z.enum(['clinic', 'shared']),
    writtenBy: z.enum(['workstations', 'hub-operator']),
  })
  // The promises the hub keeps, whatever a declaration says:
  // workstations write only sealed documents, so the hub never holds a clinic's data in clear;
  .refine((c) => c.writtenBy === 'hub-operator' || c.content === 'sealed', 'a collection workstations write must be sealed')
  // no clinic's workstation writes what another clinic's read;
  .refine((c) => c.writtenBy === 'hub-operator' || c.scope === 'clinic', 'a shared collection is written by the hub operator only')
  // and who writes a collection decides which way it goes.
  .refine((c) => (c.writtenBy === 'hub-operator') === (c.direction === 'pull'), 'a collection is pulled only exactly when the hub operator writes it');

export type ReplicatedCollection = Readonly<z.infer<typeof replicatedCollectionSchema>>;

/** Checks a list of declarations (each entry's rules, names unique) and returns it as given, so its literal names stay in its type. */
export function declareCollections<const C extends readonly ReplicatedCollection[]>(collections: C): C {
  const names = new Set<string>();
  for (const collection of collections) {
    const parsed = replicatedCollectionSchema.safeParse(collection);
    if (!parsed.success) throw new TypeError(`The replicated collection "${collection.name}" is not declared correctly: ${parsed.error.issues.map((issue) => issue.message).join('; ')}.`);
    if (names.has(collection.name)) throw new TypeError(`The replicated collection "${collection.name}" is declared twice.`);
    names.add(collection.name);
  }
  return collections;
}

/** What this version of the app replicates. */
export const replicatedCollections = declareCollections([
  /** Every clinical document, sealed (app/records/sealed-record.ts). */
  { name: 'records', content: 'sealed', direction: 'both', scope: 'clinic', writtenBy: 'workstations' },
  /** Staff accounts: the data key wrapped per person, and sealed claims (app/auth/staff-account.ts). */
  { name: 'staff', content: 'sealed', direction: 'both', scope: 'clinic', writtenBy: 'workstations' },
  /** The facility directory (app/facilities/directory-entry.ts): kept by the hub operator, one for every clinic, no patient data in it. */
  { name: 'facilities', content: 'clear', direction: 'pull', scope: 'shared', writtenBy: 'hub-operator' },
]);

export type CollectionName = (typeof replicatedCollections)[number]['name'];

/** Each collection's database on the hub, by collection name. */
export type Databases = Record<CollectionName, string>;

const databaseNameSchema = z.string().min(1).max(100);

/** `Databases` as a schema: exactly one database name per declared collection (the `hub.status` answer). */
export const databasesSchema = z.strictObject(
  Object.fromEntries(replicatedCollections.map((collection) => [collection.name, databaseNameSchema])) as Record<CollectionName, typeof databaseNameSchema>,
);

/** Whether a workstation pulls this collection from the hub, and whether it pushes its own edits. */
export const pulls = (collection: ReplicatedCollection): boolean => collection.direction !== 'push';
export const pushes = (collection: ReplicatedCollection): boolean => collection.direction !== 'pull';
