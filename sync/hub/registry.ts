import { z } from 'zod';
import { displayNameSchema } from '../../app/names/display-name';
import { clinicIdSchema, workstationIdSchema, type ClinicId, type WorkstationId } from '../protocol/naming';
import { wrappedKeySchema } from '../protocol/requests';

/**
 * The hub's registry: clinics, workstations (with scrypt-hashed secrets) and
 * enrollment codes (kept only as digests binding the issuing workstation's
 * commitment to the hub's part, see enrollment-code.ts; who issued and who
 * used each one is recorded). It is one small JSON file in the data folder, read and
 * written by the running hub and by the admin commands alike (registry-store.ts
 * does the locking and atomic writes); the functions here are the pure rules
 * applied to it.
 */

const time = z.iso.datetime();
export const codeDigestSchema = z.string().regex(/^[0-9a-f]{64}$/);

/** Who issued a code: the hub's admin command (a clinic's first workstation) or an enrolled workstation. */
const issuerSchema = z.union([z.literal('admin-command'), workstationIdSchema]);

export const clinicSchema = z.strictObject({ name: displayNameSchema, createdAt: time });
export const workstationSchema = z.strictObject({
  clinicId: clinicIdSchema,
  name: displayNameSchema,
  secretHash: z.string().min(1).max(200),
  createdAt: time,
  revokedAt: time.nullable(),
  /**
   * Who issued the code this workstation enrolled with, kept after the code
   * itself is forgotten, so revoking an issuer lists what it brought in.
   * null: enrolled before the hub recorded it (registry version 1).
   */
  enrolledBy: issuerSchema.nullable(),
});
export const enrollmentCodeSchema = z.strictObject({
  clinicId: clinicIdSchema,
  /** null for codes the admin command issues to bootstrap a clinic: no workstation holds its key yet. */
  wrappedKey: wrappedKeySchema.nullable(),
  issuedBy: issuerSchema,
  createdAt: time,
  expiresAt: time,
  usedAt: time.nullable(),
  usedBy: workstationIdSchema.nullable(),
  /** Set when its issuer was revoked before it was used (or, for codes of the first format, when the registry was upgraded). */
  revokedAt: time.nullable(),
});

export const registrySchema = z.strictObject({
  /** 2: codes carry the hub's part and revocation, workstations who enrolled them (registry-upgrade.ts reads version 1). */
  version: z.literal(2),
  /** Stable id this hub reports at `GET /` (PouchDB derives replication ids from it). */
  hubId: z.string().regex(/^[0-9a-f]{32}$/),
  clinics: z.record(clinicIdSchema, clinicSchema),
  workstations: z.record(workstationIdSchema, workstationSchema),
  /** Keyed by the code's digest (`codeDigest` in secrets.ts). */
  enrollmentCodes: z.record(codeDigestSchema, enrollmentCodeSchema),
});

export type Registry = z.infer<typeof registrySchema>;
export type Clinic = z.infer<typeof clinicSchema>;
export type Workstation = z.infer<typeof workstationSchema>;
export type EnrollmentCode = z.infer<typeof enrollmentCodeSchema>;

export const emptyRegistry = (hubId: string): Registry => ({ version: 2, hubId, clinics: {}, workstations: {}, enrollmentCodes: {} });

export class RegistryError extends Error {
  constructor(
    readonly code: 'unknown_clinic' | 'clinic_exists' | 'unknown_workstation' | 'duplicate_code' | 'too_many_codes' | 'clinic_has_key' | 'issuer_revoked' | 'locked' | 'damaged',
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** Unused, unexpired codes one clinic may hold at once: enough for any real enrollment day, and a bound on what a workstation can make the hub store. */
export const maxOpenCodesPerClinic = 20;
/** How long used and expired codes are remembered (so a second use says "already used", not "wrong"). */
const forgetCodesAfterMs = 30 * 24 * 3600 * 1000;

const isOpen = (code: EnrollmentCode, now: Date) => code.usedAt === null && code.revokedAt === null && Date.parse(code.expiresAt) > now.getTime();

/** An issuing workstation that is gone or revoked makes its codes void, even one deposited while its revocation was being written. */
function issuerActive(registry: Registry, code: Pick<EnrollmentCode, 'clinicId' | 'issuedBy'>): boolean {
  if (code.issuedBy === 'admin-command') return true;
  const issuer = getWorkstation(registry, code.issuedBy);
  return issuer !== undefined && issuer.revokedAt === null && issuer.clinicId === code.clinicId;
}

export function getClinic(registry: Registry, clinicId: string): Clinic {
  const clinic = Object.hasOwn(registry.clinics, clinicId) ? registry.clinics[clinicId] : undefined;
  if (!clinic) throw new RegistryError('unknown_clinic', `There is no clinic ${clinicId} on this hub.`);
  return clinic;
}

export function getWorkstation(registry: Registry, workstationId: string): Workstation | undefined {
  return Object.hasOwn(registry.workstations, workstationId) ? registry.workstations[workstationId] : undefined;
}

export function createClinic(registry: Registry, clinicId: ClinicId, name: string, now: Date): void {
  if (Object.hasOwn(registry.clinics, clinicId)) throw new RegistryError('clinic_exists', `Clinic ${clinicId} already exists on this hub.`);
  registry.clinics[clinicId] = clinicSchema.parse({ name, createdAt: now.toISOString() });
}

export interface NewCode {
  clinicId: string;
  digest: string;
  wrappedKey: string | null;
  issuedBy: EnrollmentCode['issuedBy'];
  expiresAt: Date;
}

export function addEnrollmentCode(registry: Registry, code: NewCode, now: Date): void {
  getClinic(registry, code.clinicId);
  if (!issuerActive(registry, code)) throw new RegistryError('issuer_revoked', 'This workstation’s access to the hub was revoked, so it cannot issue enrollment codes.');
  if (Object.hasOwn(registry.enrollmentCodes, code.digest)) throw new RegistryError('duplicate_code', 'This enrollment code was already registered.');
  const open = Object.values(registry.enrollmentCodes).filter((c) => c.clinicId === code.clinicId && isOpen(c, now)).length;
  if (open >= maxOpenCodesPerClinic) {
    throw new RegistryError('too_many_codes', `This clinic already has ${open} unused enrollment codes; use or let some expire first.`);
  }
  registry.enrollmentCodes[code.digest] = enrollmentCodeSchema.parse({
    clinicId: code.clinicId,
    wrappedKey: code.wrappedKey,
    issuedBy: code.issuedBy,
    createdAt: now.toISOString(),
    expiresAt: code.expiresAt.toISOString(),
    usedAt: null,
    usedBy: null,
    revokedAt: null,
  });
}

export type CodeLookup = { status: 'valid'; code: EnrollmentCode } | { status: 'unknown' | 'used' | 'revoked' | 'expired' };

export function lookUpCode(registry: Registry, digest: string, now: Date): CodeLookup {
  const code = Object.hasOwn(registry.enrollmentCodes, digest) ? registry.enrollmentCodes[digest] : undefined;
  if (!code || !Object.hasOwn(registry.clinics, code.clinicId)) return { status: 'unknown' };
  if (code.usedAt !== null) return { status: 'used' };
  if (code.revokedAt !== null || !issuerActive(registry, code)) return { status: 'revoked' };
  if (Date.parse(code.expiresAt) <= now.getTime()) return { status: 'expired' };
  return { status: 'valid', code };
}

export interface Enrollment {
  digest: string;
  workstationId: WorkstationId;
  workstationName: string;
  secretHash: string;
}

/** Consumes the code and records the workstation, or says why not; the caller writes both in one atomic update. */
export function enroll(registry: Registry, enrollment: Enrollment, now: Date): CodeLookup {
  const lookup = lookUpCode(registry, enrollment.digest, now);
  if (lookup.status !== 'valid') return lookup;
  const at = now.toISOString();
  registry.workstations[enrollment.workstationId] = workstationSchema.parse({
    clinicId: lookup.code.clinicId,
    name: enrollment.workstationName,
    secretHash: enrollment.secretHash,
    createdAt: at,
    revokedAt: null,
    enrolledBy: lookup.code.issuedBy,
  });
  lookup.code.usedAt = at;
  lookup.code.usedBy = enrollment.workstationId;
  return lookup;
}

export interface Revocation {
  workstation: Workstation;
  /** Its codes still unused and unexpired, revoked with it (a code it kept must not outlive its access). */
  codesRevoked: number;
}

export function revokeWorkstation(registry: Registry, workstationId: string, now: Date): Revocation {
  const workstation = getWorkstation(registry, workstationId);
  if (!workstation) throw new RegistryError('unknown_workstation', `There is no workstation ${workstationId} on this hub.`);
  workstation.revokedAt ??= now.toISOString();
  let codesRevoked = 0;
  for (const code of Object.values(registry.enrollmentCodes)) {
    if (code.issuedBy === workstationId && isOpen(code, now)) {
      code.revokedAt = now.toISOString();
      codesRevoked++;
    }
  }
  return { workstation, codesRevoked };
}

export interface EnrolledThrough {
  workstationId: string;
  workstation: Workstation;
  /** The workstation whose code it used: the one asked about, or one enrolled through it in turn. */
  via: string;
}

/**
 * The workstations enrolled with codes this one issued, and those enrolled
 * with theirs, and so on: what a revoked workstation may have brought in, for
 * the hub's administrator to review (not revoked automatically: most are
 * legitimate desks an admin workstation enrolled).
 */
export function enrolledThrough(registry: Registry, workstationId: string): EnrolledThrough[] {
  const found: EnrolledThrough[] = [];
  const seen = new Set([workstationId]);
  for (let i = -1; i < found.length; i++) {
    const issuer = i === -1 ? workstationId : found[i]!.workstationId;
    for (const [id, workstation] of Object.entries(registry.workstations)) {
      if (workstation.enrolledBy !== issuer || seen.has(id)) continue;
      seen.add(id);
      found.push({ workstationId: id, workstation, via: issuer });
    }
  }
  return found;
}

export const activeWorkstations = (registry: Registry, clinicId: string): [string, Workstation][] =>
  Object.entries(registry.workstations).filter(([, w]) => w.clinicId === clinicId && w.revokedAt === null);

export const openCodes = (registry: Registry, clinicId: string, now: Date): EnrollmentCode[] =>
  Object.values(registry.enrollmentCodes).filter((c) => c.clinicId === clinicId && isOpen(c, now) && issuerActive(registry, c));

/** What became of a code, in a word, for the admin listing. */
export function codeState(registry: Registry, code: EnrollmentCode, now: Date): 'open' | 'used' | 'revoked' | 'expired' {
  if (code.usedAt !== null) return 'used';
  if (code.revokedAt !== null || !issuerActive(registry, code)) return 'revoked';
  return Date.parse(code.expiresAt) <= now.getTime() ? 'expired' : 'open';
}

/** Drops codes used or expired more than 30 days ago, so the file does not grow forever. */
export function forgetOldCodes(registry: Registry, now: Date): void {
  for (const [digest, code] of Object.entries(registry.enrollmentCodes)) {
    const endedAt = code.usedAt !== null ? Date.parse(code.usedAt) : Math.min(Date.parse(code.expiresAt), code.revokedAt !== null ? Date.parse(code.revokedAt) : Infinity);
    if (now.getTime() - endedAt > forgetCodesAfterMs) delete registry.enrollmentCodes[digest];
  }
}
