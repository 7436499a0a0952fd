import { z } from 'zod';
import { commitmentPattern, enrollmentProofSchema, hubPartPattern } from '../../app/enrollment/enrollment-code';
import { displayNameSchema } from '../../app/names/display-name';
import { clinicIdSchema, workstationIdSchema } from './naming';

/**
 * The hub's wire protocol, shared by the hub (sync/hub), the workstation's hub
 * link (main/hub) and its sync client (sync/client): schemas for every request
 * body the hub accepts, and for the answers the workstation reads. The replication bodies are
 * checked for the CouchDB protocol's structure, not for our document shapes
 * (the hub carries sealed documents it cannot open, and the client's schemas
 * evolve without the hub), except where the structure itself would open a
 * door the front keeps shut: ids starting with `_` (design documents and
 * server internals), `_attachments`, and unknown `_` fields.
 */

/**
 * Bounds: what the clients need, and no more, so that no one allowed request
 * makes the hub work long enough to keep other clinics waiting (measured in
 * BENCHMARKS.md, "Hub: the longest wait one request causes"). The sync client
 * sends at most 1,000 documents a request (sync/client/clinic-sync.ts);
 * PouchDB's replicator 100. A replicated document has a dozen fields
 * (document-rules.ts checks which); a revision history is at most 1,000 long
 * (PouchDB's and CouchDB's revs_limit).
 */
export const maxDocs = 1_000;
const maxRevs = 1_000;
/** Revisions named in one `_revs_diff` or `_bulk_get`, all documents together: replicators name a document's few open leaves. */
const maxRevsPerRequest = 10_000;
/** Top-level fields of any document or checkpoint; checked before the rest, so a document of 400,000 keys costs nothing to refuse. */
export const maxDocumentKeys = 32;

/** A JSON object of at most `max` fields, counted without copying it (anything else passes on to the schema after it). */
function fewKeys(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return true;
  let count = 0;
  for (const key in value) if (Object.hasOwn(value, key) && ++count > max) return false;
  return true;
}
const keysAtMost = <T extends z.ZodType>(max: number, message: string, schema: T) => z.custom<unknown>((value) => fewKeys(value, max), message).pipe(schema);
const boundedObject = <T extends z.ZodType>(schema: T) => keysAtMost(maxDocumentKeys, `a document may have at most ${maxDocumentKeys} fields`, schema);

/** A document id the client may name: CouchDB reserves `_`-prefixed ids for design and local documents and server internals. */
const reservedIdMessage = 'document ids starting with "_" are reserved';
const underscoreMessage = 'a document may not carry _attachments or other reserved "_" fields';
const checkpointMessage = 'a checkpoint may not carry reserved "_" fields';
const reservedFieldMessages: ReadonlySet<string> = new Set([reservedIdMessage, underscoreMessage, checkpointMessage]);

/**
 * Whether validation failed on the checks that keep design documents,
 * attachments and server internals out: the front answers those with 403
 * (forbidden, as the path-based refusals), not 400. A record key's failure
 * (`_revs_diff`) comes nested inside an invalid_key issue.
 */
export function touchesReservedFields(issues: readonly z.core.$ZodIssue[]): boolean {
  return issues.some((issue) => reservedFieldMessages.has(issue.message) || (issue.code === 'invalid_key' && touchesReservedFields(issue.issues)));
}

export const docIdSchema = z
  .string()
  .min(1)
  .max(512)
  .refine((id) => !id.startsWith('_'), reservedIdMessage);
/**
 * The one bound on revision generations (a document's edit count), applied on
 * every path that takes a revision (`_rev`, `?rev=`, `_revs_diff`,
 * `_bulk_get`): at most 10 digits. A replicating workstation (new_edits:
 * false) introduces a generation with `_revisions.start`; that may be at most
 * a tenth of the bound, so the 9 billion edits still possible after it keep
 * every document editable and deletable: no client can push one to the
 * ceiling and wedge it for everyone. (PouchDB itself takes any safe integer,
 * which let a start of 2^53-1 wedge a document.)
 */
export const maxRevisionGeneration = 9_999_999_999;
export const maxIntroducedGeneration = Math.floor(maxRevisionGeneration / 10);

/** `<generation>-<hash>`, as PouchDB and CouchDB make them, the generation within the bound. */
export const revSchema = z.string().regex(/^[1-9][0-9]{0,9}-[0-9a-zA-Z]{1,64}$/, 'not a revision');
/** The `<id>` of `_local/<id>`: any text but a slash (the path keeps it in one segment). */
export const localIdSchema = z.string().min(1).max(512);

/** Top-level `_` fields a replicated document may carry; `_attachments` and the rest stay out. */
const allowedUnderscoreFields = new Set(['_id', '_rev', '_deleted', '_revisions']);

const documentFields = {
  _rev: revSchema.optional(),
  _deleted: z.boolean().optional(),
  // Sent by replicators with new_edits: false to carry the revision history.
  _revisions: z
    .strictObject({ start: z.number().int().positive().max(maxIntroducedGeneration), ids: z.array(z.string().regex(/^[0-9a-zA-Z]{1,64}$/)).min(1).max(maxRevs) })
    // The history runs from `start` down: it cannot hold more revisions than generations.
    .refine((revisions) => revisions.ids.length <= revisions.start, 'more revision ids than generations')
    .optional(),
};

const onlyKnownUnderscoreFields = (doc: Record<string, unknown>) => Object.keys(doc).every((key) => !key.startsWith('_') || allowedUnderscoreFields.has(key));

export const documentSchema = boundedObject(z.looseObject({ _id: docIdSchema, ...documentFields }).refine(onlyKnownUnderscoreFields, underscoreMessage));

/** `PUT /<db>/<id>`: the id comes from the path; a body `_id` must agree with it. */
export const documentPutSchema = (pathId: string) =>
  boundedObject(
    z
      .looseObject({ _id: z.literal(pathId, { error: 'must be the document id in the path' }).optional(), ...documentFields })
      .refine(onlyKnownUnderscoreFields, underscoreMessage),
  );

/** `PUT /<db>/_local/<id>`: replication checkpoints (session id, history, last sequence). */
export const localDocumentPutSchema = (pathId: string) =>
  boundedObject(
    z
      .looseObject({ _id: z.literal(`_local/${pathId}`, { error: 'must be the checkpoint id in the path' }).optional(), _rev: z.string().max(80).optional() })
      .refine((doc) => Object.keys(doc).every((key) => !key.startsWith('_') || key === '_id' || key === '_rev'), checkpointMessage),
  );

/** Revision ids carried in `_revisions`, all documents together: each is a step PouchDB merges into a revision tree. */
const historyLength = (docs: readonly { _revisions?: { ids: readonly string[] } | undefined }[]) => docs.reduce((sum, doc) => sum + (doc._revisions?.ids.length ?? 0), 0);

export const bulkDocsSchema = z.strictObject({
  docs: z
    .array(documentSchema)
    .max(maxDocs)
    .refine((docs) => historyLength(docs) <= maxRevsPerRequest, `at most ${maxRevsPerRequest} revisions in _revisions per request`),
  new_edits: z.boolean().optional(),
});

const key = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown())]);
/** `POST /<db>/_all_docs`: RxDB sends `{ keys, include_docs, deleted: 'ok' }`. */
export const allDocsSchema = z.strictObject({
  keys: z.array(z.string().max(512)).max(maxDocs).optional(),
  include_docs: z.boolean().optional(),
  deleted: z.literal('ok').optional(),
  conflicts: z.boolean().optional(),
  descending: z.boolean().optional(),
  limit: z.number().int().nonnegative().max(maxDocs).optional(),
  skip: z.number().int().nonnegative().max(maxDocs).optional(),
  key: key.optional(),
  startkey: key.optional(),
  endkey: key.optional(),
  start_key: key.optional(),
  end_key: key.optional(),
  inclusive_end: z.boolean().optional(),
  update_seq: z.boolean().optional(),
});

/** A POST `_all_docs` with no limit in its query: a list of keys, or a limit in the body. */
export const allDocsBoundedSchema = allDocsSchema.refine((body) => body.keys !== undefined || body.limit !== undefined, `give keys, or a limit of at most ${maxDocs}`);

export const bulkGetSchema = z.strictObject({
  docs: z
    .array(z.strictObject({ id: docIdSchema, rev: revSchema.optional(), atts_since: z.array(revSchema).max(maxRevs).optional() }))
    .max(maxDocs)
    .refine((docs) => docs.reduce((sum, doc) => sum + 1 + (doc.atts_since?.length ?? 0), 0) <= maxRevsPerRequest, `at most ${maxRevsPerRequest} revisions per request`),
});

export const revsDiffSchema = keysAtMost(
  maxDocs,
  `at most ${maxDocs} documents per request`,
  z.record(docIdSchema, z.array(revSchema).max(maxRevs)).refine((diff) => Object.values(diff).reduce((sum, revs) => sum + revs.length, 0) <= maxRevsPerRequest, `at most ${maxRevsPerRequest} revisions per request`),
);

/**
 * The one `_selector` the sync client sends (sync/client/hub-fetch.ts
 * `notWrittenBy`): versions whose clock is not this workstation's node, as a
 * regular expression with no nested repetition, so it runs in linear time.
 * Any other selector is refused: a `$regex` chosen by a client can backtrack
 * for seconds (`^(a+)+$` on 27 "a"s and a "!" took 4-23 s) on the hub's one
 * thread, while every other clinic's request waits.
 */
export const clockNodeSelectorSchema = z.strictObject({
  $nor: z.tuple([z.strictObject({ hlc: z.strictObject({ $regex: z.string().regex(/^\^\\d\{15\}-\\d\{5\}-[A-Za-z0-9_-]{1,80}\$$/, 'not the clock-node filter') }) })]),
});

export type ClockNodeSelector = z.infer<typeof clockNodeSelectorSchema>;

/** `POST /<db>/_changes` with the built-in `_doc_ids` filter or the clock-node `_selector`. */
export const changesSchema = z.strictObject({
  doc_ids: z.array(docIdSchema).max(maxDocs).optional(),
  selector: clockNodeSelectorSchema.optional(),
});

/** Opaque to the hub: the data key wrapped under an enrollment code by the issuing workstation. Base64 and dots, bounded. */
export const wrappedKeySchema = z.string().min(1).max(4096).regex(/^[A-Za-z0-9+/=._-]+$/, 'a wrapped key is base64 text');

/** `POST /_clinic/enroll`, the one unauthenticated write. */
export const enrollRequestSchema = z.strictObject({
  codeProof: enrollmentProofSchema,
  workstationName: displayNameSchema,
});

/** Answer to a successful enrollment: the new workstation's credentials, and the data key wrapped under the code when the code carries one. */
export const enrollResponseSchema = z.strictObject({
  workstationId: workstationIdSchema,
  secret: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  clinicId: clinicIdSchema,
  /**
   * Every database the workstation may reach, by collection name
   * (naming.ts `clinicDatabases`): any names, so a hub that serves a
   * collection a workstation of an older version does not know can still
   * enroll it; the workstation checks those it replicates.
   */
  databases: z.record(z.string().regex(/^[a-z][a-z0-9]{0,30}$/), z.string().min(1).max(100)).refine((databases) => Object.keys(databases).length <= 32, 'at most 32 databases'),
  wrappedKey: wrappedKeySchema.optional(),
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

/** Every refusal the front sends: a status, a CouchDB-style error word and plain words for a person. */
export const refusalBodySchema = z.object({ error: z.string().max(100), reason: z.string().max(1000) });

/** Hours an enrollment code may live: long enough to reach a remote clinic, short enough to bound a leaked note. */
export const maxCodeHours = 168;

/** `POST /_clinic/enrollment-codes`, by a workstation of the clinic that holds the data key. */
export const issueCodeRequestSchema = z.strictObject({
  codeCommitment: z.string().regex(commitmentPattern, 'codeCommitment is codeCommitment(secret part): 43 base64url characters'),
  wrappedKey: wrappedKeySchema,
  expiresInHours: z.number().int().min(1).max(maxCodeHours).default(24),
});
/** The hub's part of the code (enrollment-code.ts), drawn by the hub: the issuing workstation shows it after its own. */
export const issueCodeResponseSchema = z.strictObject({ ok: z.literal(true), expiresAt: z.iso.datetime(), hubPart: z.string().regex(hubPartPattern) });

/** Query parameters: plain lowercase CouchDB names only, so qs's `a[b]=` nesting and `__proto__` never reach the engine. */
export const queryKeyPattern = /^[a-z][a-z_]{0,31}$/;

/** `_changes` feeds that end (normal) or end at the first change (longpoll); continuous and eventsource streams are not needed. */
export const allowedChangesFeeds = new Set(['normal', 'longpoll']);
/** Built-in filters only: every other filter names a design document. */
export const allowedChangesFilters = new Set(['_doc_ids', '_selector']);
