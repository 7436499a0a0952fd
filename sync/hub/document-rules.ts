import { z } from 'zod';
import { staffAccountSchema } from '../../app/auth/staff-account';
import { opaqueIdSchema, sealedRecordSchema } from '../../app/records/sealed-record';
import type { replicatedCollections, ReplicatedCollection } from '../../app/replication/replicated-collections';

/**
 * What a workstation may write into each of its clinic's databases. The hub
 * cannot open a sealed document, but it can tell one from anything else: a
 * record is its clear header (the fields the design keeps in clear:
 * ARCHITECTURE.md, sealed records) and a `sealed` text in the sealing format,
 * naming the clinic whose database it is in; a staff account is the same for
 * its own clear part. A document with clear fields it should not have
 * (a `name`, a `phone`), without its sealed text, or naming another clinic
 * is refused, so "the hub never sees plaintext PHI" holds even against a
 * buggy or hostile workstation, not only a well-behaved one. A deletion is
 * the sealed document marked deleted (`deleted` is sealed into its context,
 * and RxDB sends `_deleted` beside it); a bare one (`{_id, _rev, _deleted}`)
 * is refused too: the workstations could check nothing in it, and would have
 * to take on trust that a record is gone.
 *
 * Who writes a collection comes from its declaration
 * (app/replication/replicated-collections.ts): one the hub operator writes is
 * refused to every workstation, with no rule of its own here; one the
 * workstations write (always sealed, per clinic: the declaration checks that)
 * has its shape below, and a hub without one refuses to start (`checkShapes`).
 */

/** CouchDB's own fields on a replicated document; sync/protocol/requests.ts `documentSchema` has checked their form already. */
const couchFields = { _id: opaqueIdSchema, _rev: z.unknown().optional(), _deleted: z.unknown().optional(), _revisions: z.unknown().optional() };

/**
 * The hub takes any record type a newer workstation may write (it carries
 * what it cannot read, and a clinic's workstations update before their hub
 * does); the form of the name is still checked.
 */
const recordTypeName = z.string().regex(/^[a-z][A-Za-z]{0,31}$/);

const sealedRecordOnHub = sealedRecordSchema.omit({ id: true }).extend({ ...couchFields, type: recordTypeName }).strict();
const staffAccountOnHub = staffAccountSchema.omit({ id: true }).extend(couchFields).strict();

/** What the hub takes in one collection workstations write, and what its documents are called in a refusal. */
export interface DocumentShape {
  shape: z.ZodType<{ clinicId: string }>;
  /** Plural, as in "Only sealed … are stored on the hub." */
  called: string;
}
export type DocumentShapes = Readonly<Record<string, DocumentShape>>;

/** The names of the declared collections the workstations write: each needs a shape. */
type WrittenByWorkstations = Extract<(typeof replicatedCollections)[number], { writtenBy: 'workstations' }>['name'];

/** The shapes of this version's collections; a collection workstations write added to the declarations without one does not compile. */
export const documentShapes = {
  records: { shape: sealedRecordOnHub, called: 'records' },
  staff: { shape: staffAccountOnHub, called: 'staff accounts' },
} satisfies Record<WrittenByWorkstations, DocumentShape>;

/** Throws unless every collection the workstations write has its shape: a hub must not start unable to check what it stores. */
export function checkShapes(collections: readonly ReplicatedCollection[], shapes: DocumentShapes = documentShapes): void {
  const missing = collections.filter((collection) => collection.writtenBy === 'workstations' && !Object.hasOwn(shapes, collection.name));
  if (missing.length > 0) throw new TypeError(`No document shape for the collection(s) workstations write: ${missing.map((collection) => collection.name).join(', ')} (sync/hub/document-rules.ts).`);
}

/** The plain-words reason a person reads in the hub's answer; names fields, never their values (they may be PHI). */
function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    // Field names as a program writes them; anything else (text a person typed used as a key) is not repeated.
    const named = issue.keys.filter((key) => /^[A-Za-z_][A-Za-z0-9_]{0,31}$/.test(key)).slice(0, 5);
    return `it has fields the hub does not store in clear${named.length > 0 ? ` (${named.join(', ')})` : ''}`;
  }
  const field = issue.path.map(String).join('.') || 'the document';
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return `${field} is missing`;
  return `${field} is not in the sealed form`;
}

/**
 * Why a workstation of clinic `clinicId` may not store `doc` in the given
 * collection (one sentence), or undefined when it may.
 */
export function refusalOf(collection: ReplicatedCollection, clinicId: string, doc: unknown, shapes: DocumentShapes = documentShapes): string | undefined {
  if (collection.writtenBy === 'hub-operator') return 'This collection is kept by the hub operator; workstations only read it.';
  const rule = Object.hasOwn(shapes, collection.name) ? shapes[collection.name] : undefined;
  // Not reached past `checkShapes`; refused rather than stored unchecked all the same.
  if (!rule) return 'Refused: this hub has no rule for documents of this collection.';
  const parsed = rule.shape.safeParse(doc);
  // Clear fields that should not be there say the most: named first.
  const issues = parsed.success ? [] : parsed.error.issues;
  const first = issues.find((issue) => issue.code === 'unrecognized_keys') ?? issues[0];
  if (first) return `Refused: ${describe(first)}. Only sealed ${rule.called} are stored on the hub.`;
  if (parsed.success && parsed.data.clinicId !== clinicId) return 'Refused: it names another clinic than the one whose database it was sent to.';
  return undefined;
}
