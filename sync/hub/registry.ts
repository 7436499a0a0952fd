import { z } from 'zod';
import { clinicIdSchema, displayNameSchema, workstationIdSchema, type ClinicId, type WorkstationId } from './naming';

/**
 * The hub's registry: clinics, workstations (with scrypt-hashed secrets) and
 * enrollment codes (kept only as digests of their proofs, see
 * enrollment-code.ts). It is one small JSON file in the data folder, read and
 * written by the running hub and by the admin commands alike (registry-store.ts
 * does the locking and atomic writes); the functions here are the pure rules
 * applied to it.
 */

const time = z.iso.datetime();
export const codeDigestSchema = z.string().regex(/^[0-9a-f]{64}$/);
/** Opaque to the hub: the data key wrapped under the code by the issuing workstation. Base64 and dots, bounded. */
export const wrappedKeySchema = z.string().min(1).max(4096).regex(/^[A-Za-z0-9+/=._-]+$/, 'a wrapped key is base64 text');

const clinicSchema = z.strictObject({ name: displayNameSchema, createdAt: time });
const workstationSchema = z.strictObject({
  clinicId: clinicIdSchema,
  name: displayNameSchema,
  secretHash: z.string().min(1).max(200),
  createdAt: time,
  revokedAt: time.nullable(),
});
const enrollmentCodeSchema = z.strictObject({
  clinicId: clinicIdSchema,
  /** null for codes the admin command issues to bootstrap a clinic: no workstation holds its key yet. */
  wrappedKey: wrappedKeySchema.nullable(),
  issuedBy: z.union([z.literal('admin-command'), workstationIdSchema]),
  createdAt: time,
  expiresAt: time,
  usedAt: time.nullable(),
  usedBy: workstationIdSchema.nullable(),
});

export const registrySchema = z.strictObject({
  version: z.literal(1),
  /** Stable id this hub reports at `GET /` (PouchDB derives replication ids from it). */
  hubId: z.string().regex(/^[0-9a-f]{32}$/),
  clinics: z.record(clinicIdSchema, clinicSchema),
  workstations: z.record(workstationIdSchema, workstationSchema),
  /** Keyed by the SHA-256 of the code's proof. */
  enrollmentCodes: z.record(codeDigestSchema, enrollmentCodeSchema),
});

export type Registry = z.infer<typeof registrySchema>;
export type Clinic = z.infer<typeof clinicSchema>;
export type Workstation = z.infer<typeof workstationSchema>;
export type EnrollmentCode = z.infer<typeof enrollmentCodeSchema>;

export const emptyRegistry = (hubId: string): Registry => ({ version: 1, hubId, clinics: {}, workstations: {}, enrollmentCodes: {} });

export class RegistryError extends Error {
  constructor(
    readonly code: 'unknown_clinic' | 'clinic_exists' | 'unknown_workstation' | 'duplicate_code' | 'too_many_codes' | 'clinic_has_key' | 'locked' | 'damaged',
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

const isOpen = (code: EnrollmentCode, now: Date) => code.usedAt === null && Date.parse(code.expiresAt) > now.getTime();

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
  });
}

export type CodeLookup = { status: 'valid'; code: EnrollmentCode } | { status: 'unknown' | 'used' | 'expired' };

export function lookUpCode(registry: Registry, digest: string, now: Date): CodeLookup {
  const code = Object.hasOwn(registry.enrollmentCodes, digest) ? registry.enrollmentCodes[digest] : undefined;
  if (!code || !Object.hasOwn(registry.clinics, code.clinicId)) return { status: 'unknown' };
  if (code.usedAt !== null) return { status: 'used' };
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
  });
  lookup.code.usedAt = at;
  lookup.code.usedBy = enrollment.workstationId;
  return lookup;
}

export function revokeWorkstation(registry: Registry, workstationId: string, now: Date): Workstation {
  const workstation = getWorkstation(registry, workstationId);
  if (!workstation) throw new RegistryError('unknown_workstation', `There is no workstation ${workstationId} on this hub.`);
  workstation.revokedAt ??= now.toISOString();
  return workstation;
}

export const activeWorkstations = (registry: Registry, clinicId: string): [string, Workstation][] =>
  Object.entries(registry.workstations).filter(([, w]) => w.clinicId === clinicId && w.revokedAt === null);

export const openCodes = (registry: Registry, clinicId: string, now: Date): EnrollmentCode[] =>
  Object.values(registry.enrollmentCodes).filter((c) => c.clinicId === clinicId && isOpen(c, now));

/** Drops codes used or expired more than 30 days ago, so the file does not grow forever. */
export function forgetOldCodes(registry: Registry, now: Date): void {
  for (const [digest, code] of Object.entries(registry.enrollmentCodes)) {
    const endedAt = code.usedAt !== null ? Date.parse(code.usedAt) : Date.parse(code.expiresAt);
    if (now.getTime() - endedAt > forgetCodesAfterMs) delete registry.enrollmentCodes[digest];
  }
}
