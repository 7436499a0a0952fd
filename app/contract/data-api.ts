import { consentSchema } from '../consents/consent';
import { referralSchema, referralStatusSchema } from '../referrals/referral';
import { directoryEntrySchema } from '../facilities/directory-entry';
import { facilityOverrideSchema } from '../facilities/facility-override';
import { z } from 'zod';
import type { AuditEvent } from '@medplum/fhirtypes';
import { auditOutcomes } from '../audit/audit-event';
import { roles } from '../auth/roles';
import { staffClaimsSchema } from '../auth/staff-claims';
import { conflictPayloadSchema } from '../conflicts/conflict-record';
import { observationSchema } from '../observations/observation';
import { patientSchema, sexes } from '../patients/patient';
import { recordTypes } from '../records/sealed-record';
import { exportScopeKinds, exportScopeSchema } from '../fhir/export/export-scope';
import { exportFormats } from '../fhir/export/export-sink';
import { clinicSettingsInputSchema, clinicSettingsSchema } from '../settings/clinic-settings';
import { hl7AckCodes } from './hl7-endpoint';
import { syncStatusSchema } from './sync-status';

/**
 * The one interface between the screens and the data worker, which holds the
 * encrypted store, the clinic data key and the hub sync (renderer/data-worker/).
 * Each method names its params and result schemas, each event topic its
 * payload; the worker validates what it is asked, the screens validate what
 * they get back, as with the main process's contract (api.ts). Nothing here
 * can carry a key: the screens see a session summary, never the session.
 */
const method = <P extends z.ZodType, R extends z.ZodType>(params: P, result: R, options: { progress?: true } = {}) => ({ params, result, progress: options.progress === true });

const id = z.string().min(1).max(100);
const none = z.object({}).strict();
const text = (max: number) => z.string().max(max);
/**
 * What a person typed: bounded only loosely here, so the store's own checks
 * (which name the field and say what is wrong with it) are the ones that refuse.
 */
const typed = text(4096);
const passphrase = typed;

/** Why a workstation locked: a person's click, the idle time, or the workstation service restarting under an open page. */
export const lockReasons = ['user', 'idle', 'service-restart'] as const;
export type LockReason = (typeof lockReasons)[number];

/** Who is working, as the screens know it: no key, nothing to open a record with. */
export const sessionSummarySchema = z
  .object({
    userId: id,
    username: text(64),
    displayName: text(100),
    role: z.enum(roles),
    disabled: z.boolean(),
    clinicId: id,
    workstationId: id,
  })
  .strict();
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

export const indexReportSchema = z
  .object({
    patients: z.number().int().nonnegative(),
    /** Ids of records that could not be opened (tampered or damaged); kept as they are, never dropped. */
    unreadable: z.array(id),
  })
  .strict();
export type IndexReport = z.infer<typeof indexReportSchema>;

export const vaultStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('no-clinic') }).strict(),
  z.object({ status: z.literal('locked'), clinicName: text(200), reason: z.enum(['start', ...lockReasons]) }).strict(),
  z
    .object({
      status: z.literal('unlocked'),
      clinicName: text(200),
      session: sessionSummarySchema,
      index: indexReportSchema,
      /** Set until an admin confirms having written the recovery key down; shown again after a restart until then. */
      recoveryKeyPending: text(200).optional(),
    })
    .strict(),
]);
export type VaultState = z.infer<typeof vaultStateSchema>;

export const patientSearchEntrySchema = z
  .object({
    id,
    clinicNumber: text(40),
    givenNames: text(200),
    familyName: text(200),
    sex: z.enum(sexes),
    nationalId: text(40).optional(),
    phone: text(40).optional(),
    village: text(200).optional(),
    birthYear: z.number().int().optional(),
    estimatedAge: z.object({ years: z.number().int().nonnegative(), registeredAt: text(40) }).strict().optional(),
  })
  .strict();

const searchHitSchema = z.object({ id, score: z.number(), entry: patientSearchEntrySchema }).strict();

export const staffSummarySchema = staffClaimsSchema.extend({ id });
export type StaffSummary = z.infer<typeof staffSummarySchema>;

const newStaffSchema = z.object({ displayName: typed, username: typed, role: z.enum(roles), passphrase }).strict();
export type NewStaff = z.infer<typeof newStaffSchema>;
const clinicSetupSchema = newStaffSchema.omit({ role: true }).extend({ clinicName: typed });

const conflictAuthorSchema = z.object({ userId: id, workstationId: id, displayName: text(100).optional() }).strict();
export type ConflictAuthor = z.infer<typeof conflictAuthorSchema>;
export const conflictViewSchema = conflictPayloadSchema
  .omit({ resolution: true })
  .extend({ id, patientId: id, keptBy: conflictAuthorSchema.optional(), otherBy: conflictAuthorSchema.optional() });
/** An open conflict as the screens show it: each side with its author when the audit entries tell. */
export type ConflictView = z.infer<typeof conflictViewSchema>;
export const conflictChoices = ['kept', 'other'] as const;
export type ConflictChoice = (typeof conflictChoices)[number];

/** What an administrator sees of an arrival kept aside: no content (it cannot be opened), only what the hub showed in clear. */
export const keptAsideArrivalSchema = z
  .object({ id, recordId: id, recordType: z.enum([...recordTypes, 'staffAccount']), arrivedAt: z.number().int().nonnegative() })
  .strict();
export type KeptAsideArrival = z.infer<typeof keptAsideArrivalSchema>;

/**
 * `default`: no admin has saved yet. `unreadable`: the record exists but does
 * not open (damaged, or from a newer version); defaults apply and the
 * settings page says so.
 */
export const clinicSettingsStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('default'), settings: clinicSettingsInputSchema }).strict(),
  z.object({ status: z.literal('saved'), settings: clinicSettingsSchema }).strict(),
  z.object({ status: z.literal('unreadable'), settings: clinicSettingsInputSchema }).strict(),
]);
export type ClinicSettingsState = z.infer<typeof clinicSettingsStateSchema>;

/**
 * An audit entry. Its event is a FHIR AuditEvent the worker built and hashed;
 * checked here for its place in the chain and its resource type (the chain
 * verifier checks its content against the hash).
 */
export const auditEntrySchema = z
  .object({
    seq: z.number().int().positive(),
    workstationId: id,
    prevHash: z.string().regex(/^[0-9a-f]{64}$/),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    event: z.custom<AuditEvent>((value) => typeof value === 'object' && value !== null && (value as { resourceType?: unknown }).resourceType === 'AuditEvent'),
  })
  .strict();

export const auditFilterSchema = z
  .object({
    kinds: z.array(text(100)).max(100).optional(),
    userId: id.optional(),
    patientId: id.optional(),
    /** Dates travel as ISO text (params cross as JSON). */
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    outcome: z.enum(Object.keys(auditOutcomes) as [keyof typeof auditOutcomes, ...(keyof typeof auditOutcomes)[]]).optional(),
  })
  .strict();

const chainVerdictSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), entries: z.number().int().nonnegative(), chains: z.number().int().nonnegative() }).strict(),
  z.object({ ok: z.literal(false), workstationId: id, seq: z.number().int(), problem: z.enum(['edited', 'missing', 'broken-link', 'truncated', 'duplicate']) }).strict(),
]);

const hubJoinSchema = z.object({ hubUrl: typed, code: typed, workstationName: typed }).strict();

const count = z.number().int().nonnegative();

/** A finished export (into a folder) or push (to the FHIR server set in Settings). */
const transferResultSchema = z.discriminatedUnion('destination', [
  z
    .object({
      destination: z.literal('folder'),
      exportId: id,
      folder: text(4096),
      files: z.array(text(80)),
      resources: count,
      patients: count,
      unreadable: count,
    })
    .strict(),
  z
    .object({
      destination: z.literal('server'),
      baseUrl: text(500),
      resources: count,
      patients: count,
      unreadable: count,
      transactions: count,
      stored: count,
      refused: count,
      /** What the server said of the first refused resources (`Observation/<id>`), for the admin to read. */
      issues: z.array(z.object({ resource: text(200), text: text(2000), expression: text(500).optional() }).strict()).max(50),
    })
    .strict(),
]);
export type TransferResult = z.infer<typeof transferResultSchema>;

/** An export or push a restart interrupted: enough for an admin to recognise it, no patient in it. */
export const interruptedExportSchema = z
  .object({
    destination: z.enum(['folder', 'server']),
    /** The folder, or the server's address. */
    where: text(4096),
    format: z.enum(exportFormats),
    scope: z.enum(exportScopeKinds),
    startedAt: z.iso.datetime({ offset: true }),
    read: count,
  })
  .strict();
export type InterruptedExport = z.infer<typeof interruptedExportSchema>;

/** Visits sent as HL7 v2 results (renderer/store/hl7-results.ts). */
export const hl7ResultSchema = z
  .object({
    to: z.enum(['folder', 'endpoint']),
    messages: count,
    patients: count,
    unreadable: count,
    accepted: count,
    refused: count,
    /** What the endpoint said of the first refused messages, by control id. */
    issues: z.array(z.object({ controlId: text(20), code: z.enum(hl7AckCodes), text: text(2000).optional() }).strict()).max(50),
    exportId: id.optional(),
    folder: text(4096).optional(),
  })
  .strict();
export type Hl7ResultView = z.infer<typeof hl7ResultSchema>;

/** A file chosen for import: its name (to name it in problems) and size (for the progress bar). */
const importFileSchema = z.object({ name: z.string().min(1).max(255), size: count }).strict();

/** Why a resource cannot be imported: where (file, line or Bundle entry, FHIR path) and a message key with its parameters; never the value. */
const importProblemSchema = z
  .object({
    file: text(255),
    line: count.optional(),
    entry: count.optional(),
    path: text(500),
    key: z.string().regex(/^(import\.problem|validation\.(patient|observation))\.[A-Za-z]+$/),
    params: z.record(z.string().max(40), z.union([text(100), z.number()])).optional(),
  })
  .strict();
export type ImportProblemView = z.infer<typeof importProblemSchema>;

/** What an import would do, before anything is written; it writes only when `problemCount` is 0. */
export const importPreviewSchema = z
  .object({
    resources: count,
    patients: z.object({ created: count, updated: count, unchanged: count }).strict(),
    readings: z.object({ created: count, unchanged: count }).strict(),
    visits: z.object({ created: count, unchanged: count }).strict(),
    consents: z.object({ created: count, unchanged: count }).strict(),
    /** Not kept here: other resource types by type, Observations not final, of a kind not kept, or scores computed here. */
    skipped: z.object({ types: z.record(z.string().max(64), count), notFinal: count, notKept: count, computedHere: count }).strict(),
    /** The first problems (at most 100); `problemCount` counts them all. */
    problems: z.array(importProblemSchema).max(100),
    problemCount: count,
  })
  .strict();
export type ImportPreview = z.infer<typeof importPreviewSchema>;

export const importResultSchema = z.object({ patients: z.object({ created: count, updated: count }).strict(), readings: count, visits: count, consents: count }).strict();
export type ImportResult = z.infer<typeof importResultSchema>;

/** An import a restart interrupted while it wrote: choosing the same files again carries it on. */
const interruptedImportSchema = z.object({ files: z.array(importFileSchema).max(1000), startedAt: z.iso.datetime({ offset: true }), total: count, written: count }).strict();

const recoveryKeyResult = z.object({ recoveryKey: text(200) }).strict();
/** Any patient or observation form's values: the worker checks them field by field and answers which fields need correcting. */
const formInput = z.record(z.string(), z.unknown());

const odhContributionResultSchema = z
  .object({
    patients: z.number().int().nonnegative(),
    resources: z.number().int().nonnegative(),
    heldBackPatients: z.number().int().nonnegative(),
    submissions: z.number().int().nonnegative(),
    withdrawals: z.number().int().nonnegative(),
    unreadable: z.number().int().nonnegative(),
    safeHarbor: z.boolean(),
    statement: z.string().max(2000),
    kReached: z.number().int().positive().nullable(),
  })
  .strict();

export const dataApi = {
  'vault.setupClinic': method(clinicSetupSchema, recoveryKeyResult),
  'vault.confirmRecoveryKeySaved': method(none, none),
  /** Progress: records opened for the search index (slow only the first time on a workstation). `newPassphrase` replaces a temporary one an administrator set. */
  'vault.login': method(z.object({ username: typed, passphrase, newPassphrase: passphrase.optional() }).strict(), none, { progress: true }),
  'vault.recover': method(z.object({ recoveryKey: typed, username: typed, passphrase }).strict(), none, { progress: true }),
  'vault.lock': method(z.object({ reason: z.enum(lockReasons) }).strict(), none),

  'staff.changePassphrase': method(z.object({ current: passphrase, next: passphrase }).strict(), none),
  'staff.add': method(newStaffSchema, staffSummarySchema),
  'staff.list': method(none, z.array(staffSummarySchema)),
  /** Who recorded what, for the chart's tables: display names by user id. */
  'staff.names': method(none, z.record(z.string(), z.string())),
  'staff.setDisabled': method(z.object({ userId: id, disabled: z.boolean() }).strict(), none),
  'staff.setRole': method(z.object({ userId: id, role: z.enum(roles) }).strict(), none),
  'staff.resetPassphrase': method(z.object({ userId: id, temporary: passphrase }).strict(), none),

  'patients.register': method(z.object({ input: formInput }).strict(), patientSchema),
  'patients.update': method(z.object({ id, input: formInput }).strict(), patientSchema),
  'patients.get': method(z.object({ id }).strict(), patientSchema),
  'patients.search': method(z.object({ query: typed, limit: z.number().int().min(1).max(200).optional() }).strict(), z.array(searchHitSchema)),
  /** Charts this person opened in this session, newest first; forgotten at lock. */
  'patients.recent': method(none, z.array(patientSearchEntrySchema)),
  /** Names and clinic numbers of the patients audit entries name, resolved now (never stored in an entry); needs patient.read. */
  'patients.labels': method(z.object({ ids: z.array(id).max(10_000) }).strict(), z.record(z.string(), patientSearchEntrySchema)),

  /** Stores all of them or none; answers how many (the screens have them already: sending 10,000 back would cost the screens' thread). */
  'observations.record': method(z.object({ drafts: z.array(z.unknown()).max(10_000) }).strict(), z.object({ recorded: z.number().int().nonnegative() }).strict()),
  'observations.forPatient': method(z.object({ patientId: id }).strict(), z.object({ observations: z.array(observationSchema), unreadable: z.number().int().nonnegative() }).strict()),

  /** The hub's facility directory as this workstation last pulled it, without the withdrawn (renderer/store/facilities.ts). */
  'facilities.list': method(none, z.array(directoryEntrySchema)),
  /** The clinic's own statements about directory facilities, newest first (app/facilities/facility-override.ts). */
  'facilities.overrides': method(none, z.object({ overrides: z.array(facilityOverrideSchema), unreadable: z.number().int().nonnegative() }).strict()),
  /** Records one; needs facilities.override (administrators). */
  'facilities.override': method(z.object({ input: formInput }).strict(), facilityOverrideSchema),
  /** A patient's research-use decision (app/consents/consent.ts), from the chart; needs patient.write. */
  'consents.record': method(z.object({ patientId: id, input: formInput }).strict(), consentSchema),
  /** A patient's decisions, newest first (the first is their consent now). */
  'consents.forPatient': method(z.object({ patientId: id }).strict(), z.object({ consents: z.array(consentSchema), unreadable: z.number().int().nonnegative() }).strict()),

  /** Refers a patient to a directory facility (app/referrals/referral.ts); the store adds the facility's name and place, the latest vitals and NEWS2. Needs referral.write. */
  'referrals.make': method(z.object({ patientId: id, input: formInput }).strict(), referralSchema),
  /** Records what staff learnt of a referral (accepted, arrived, completed, cancelled). */
  'referrals.recordStatus': method(z.object({ referralId: id, input: formInput }).strict(), referralStatusSchema),
  /** A patient's referrals, newest first, and every status recorded of them (referral.ts `currentStatus` says each one's now). */
  'referrals.forPatient': method(z.object({ patientId: id }).strict(), z.object({ referrals: z.array(referralSchema), statuses: z.array(referralStatusSchema), unreadable: z.number().int().nonnegative() }).strict()),

  /** The clinic's settings record; refused while locked, changed only by an admin. */
  'clinicSettings.get': method(none, clinicSettingsStateSchema),
  'clinicSettings.update': method(z.object({ input: formInput }).strict(), clinicSettingsSchema),
  /** The names of the clinic's workstations by workstation id (a clock value's node), for saying where a value was entered. */
  'workstations.names': method(none, z.record(z.string(), z.string())),

  /** Open conflicts, each side with who made it (from the replicated audit entries of the edits) when known. */
  'conflicts.list': method(z.object({ patientId: id.optional() }).strict(), z.array(conflictViewSchema)),
  'conflicts.resolve': method(z.object({ conflictId: id, choice: z.enum(conflictChoices) }).strict(), none),
  /** Versions from the hub that did not open, kept aside while this workstation kept its own; for an administrator. */
  'keptAside.list': method(none, z.array(keptAsideArrivalSchema)),
  'keptAside.dismiss': method(z.object({ id }).strict(), none),

  'audit.list': method(z.object({ filter: auditFilterSchema.optional() }).strict(), z.array(auditEntrySchema)),
  'audit.verify': method(none, chainVerdictSchema),

  /**
   * A new workstation joins its clinic's hub with a one-time code. A code with
   * the clinic's key brings the clinic here; a code without one is for a
   * clinic's first workstation, which then sets the clinic up (`hub.setUpFirst`).
   */
  'hub.join': method(hubJoinSchema, z.enum(['joined', 'needs-setup'])),
  'hub.setUpFirst': method(clinicSetupSchema, recoveryKeyResult),
  /** Before a clinic is set up: forgets the hub link, so a workstation that enrolled with the wrong hub or code can join again. */
  'hub.leave': method(none, none),
  /** An admin links a clinic that started offline to the hub. */
  'hub.connect': method(hubJoinSchema, none),
  /** An admin makes a one-time code for the next workstation. */
  'hub.issueCode': method(z.object({ expiresInHours: z.number().int().min(1).max(168) }).strict(), z.object({ code: text(200), expiresAt: text(40) }).strict()),

  /** An admin exports the clinic, or the part a scope names, as FHIR into a new folder of the main process's; progress counts patients read. */
  'export.run': method(z.object({ format: z.enum(exportFormats), scope: exportScopeSchema }).strict(), transferResultSchema, { progress: true }),
  /** An admin sends the clinic, or the part a scope names, to the FHIR server set in Settings; progress counts patients read. */
  'push.run': method(z.object({ scope: exportScopeSchema }).strict(), transferResultSchema, { progress: true }),
  /** The export or push running (one the page started, or a push carried on by itself after a restart): how far it is, and while a push waits for the server, why and until when. */
  'export.status': method(
    none,
    z
      .object({
        running: z.object({ destination: z.enum(['folder', 'server']), done: count, total: count }).strict().nullable(),
        waiting: z.object({ reason: text(2000), retryAt: z.iso.datetime() }).strict().nullable(),
      })
      .strict(),
  ),
  /** Stops the running export or push between two pages, or while it waits (its call then fails with `export_cancelled`). */
  'export.cancel': method(none, none),
  /** The export or push a restart interrupted (the power failed, the worker stopped), to carry on or forget; null when there is none. */
  'export.interrupted': method(none, z.object({ interrupted: interruptedExportSchema.nullable() }).strict()),
  /** Carries the interrupted export or push on from its last checkpoint, to where it was going. */
  'export.resume': method(none, transferResultSchema, { progress: true }),
  /** Forgets the interrupted export or push; a folder stays, incomplete. */
  'export.discard': method(none, none),
  /** When the export (to files, or to the server) that "changed since the last" starts from began; null before the first whole-clinic or changed-since one there. */
  'export.changedSince': method(z.object({ destination: z.enum(['folder', 'server']) }).strict(), z.object({ since: z.iso.datetime({ offset: true }).nullable() }).strict()),

  /**
   * An admin sends the visits a scope names as HL7 v2 ORU^R01 results, one message per visit: over MLLP to the
   * endpoint set in Settings, or into a new export folder as `results.hl7`. Progress counts patients read.
   */
  'hl7.run': method(z.object({ scope: exportScopeSchema, to: z.enum(['folder', 'endpoint']) }).strict(), hl7ResultSchema, { progress: true }),

  /**
   * An admin contributes consenting patients' records to the Open Data Hub,
   * de-identified (the ODH profile, k = 5, or Safe Harbor), with withdrawal
   * notices, into the main process's queue. Progress counts patients read.
   */
  'odh.contribute': method(z.object({ profile: z.enum(['odh', 'safe-harbor']) }).strict(), odhContributionResultSchema, { progress: true }),

  /** An admin starts an import of these files (any import not yet written is forgotten); their text follows with `import.append`. */
  'import.open': method(z.object({ files: z.array(importFileSchema).min(1).max(1000) }).strict(), none),
  /** The next piece of a file's text (the screens read files in pieces of at most 1 MiB); `last` on its final piece. */
  'import.append': method(z.object({ file: count, text: z.string().max(1_048_576), last: z.boolean() }).strict(), none),
  /** Reads and checks every resource, matches patients, and says what would be created, updated, left or skipped; writes nothing. Progress counts patients matched. */
  'import.preview': method(none, importPreviewSchema, { progress: true }),
  /** Writes what the preview showed; refused while a problem remains. Progress counts records written. */
  'import.commit': method(none, importResultSchema, { progress: true }),
  'import.discard': method(none, none),
  /** The import a restart interrupted while it wrote, or null. */
  'import.interrupted': method(none, z.object({ interrupted: interruptedImportSchema.nullable() }).strict()),
} as const;

/** What the data worker tells the screens unasked, by topic. */
export const dataEvents = {
  /** The vault's state, on every change (and once when the worker is ready). */
  state: vaultStateSchema,
  /** The hub sync's status; null while this workstation is not linked to a hub of its clinic. */
  sync: syncStatusSchema.nullable(),
  /** Records other than audit entries changed while unlocked, after the search index caught up: screens refetch. */
  'records-changed': none,
} as const;

export type DataApi = typeof dataApi;
export type DataMethod = keyof DataApi;
export type DataParams<M extends DataMethod> = z.input<DataApi[M]['params']>;
export type DataResult<M extends DataMethod> = z.output<DataApi[M]['result']>;
export type DataTopic = keyof typeof dataEvents;
export type DataEvent<T extends DataTopic> = z.output<(typeof dataEvents)[T]>;

export const isDataMethod = (name: string): name is DataMethod => Object.prototype.hasOwnProperty.call(dataApi, name);
export const isDataTopic = (name: string): name is DataTopic => Object.prototype.hasOwnProperty.call(dataEvents, name);
