import type { z } from 'zod';
import { codeCommitment, composeEnrollmentCode, generateCodeSecret, generateHubPart } from '../../app/enrollment/enrollment-code';
import { displayNameSchema } from '../../app/names/display-name';
import { clinicDatabases, clinicIdSchema, workstationIdSchema, type ClinicId } from '../protocol/naming';
import { maxCodeHours } from '../protocol/requests';
import { activeWorkstations, addEnrollmentCode, codeState, createClinic, enrolledThrough, getClinic, openCodes, RegistryError, revokeWorkstation, type Registry, type Workstation } from './registry';
import type { RegistryStore } from './registry-store';
import { codeDigest, newClinicId } from './secrets';

/**
 * The administrator's commands, run on the hub machine against the data
 * folder (`npm run hub -- admin …`). They change only the registry file, under
 * its lock and with atomic writes, so they are safe while the hub runs: the
 * hub re-reads the file when it changes. They never open the databases
 * (LevelDB allows one process), which the hub creates at enrollment.
 */

export class AdminError extends Error {
  override name = 'AdminError';
}

function parse<T>(schema: z.ZodType<T>, value: string | undefined, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new AdminError(`${what} is missing or not valid.`);
  return result.data;
}

export async function createClinicCommand(store: RegistryStore, input: { name?: string; id?: string }, now = new Date()): Promise<ClinicId> {
  const name = parse(displayNameSchema, input.name, 'The clinic name (--name)');
  // --id adopts the id a clinic already uses offline (its records are sealed under it).
  const clinicId = input.id === undefined ? newClinicId() : parse(clinicIdSchema, input.id, 'The clinic id (--id, "clinic-" and 32 lowercase hex digits)');
  await store.update((registry) => createClinic(registry, clinicId, name, now));
  return clinicId;
}

export interface IssuedCode {
  code: string;
  expiresAt: Date;
}

/**
 * Issues a code without a wrapped data key: only for the first workstation of
 * a clinic, which creates the key itself. Once a workstation holds the key,
 * codes come from an admin session there (`POST /_clinic/enrollment-codes`),
 * which wraps the key under the code; a keyless code would make the new
 * workstation start a second, different key. `force` is for the clinic whose
 * every workstation is lost (it then restores from its recovery key).
 * The code has the same two parts as a workstation's (enrollment-code.ts);
 * both are made here, which is harmless: it carries no key.
 */
export async function issueCodeCommand(store: RegistryStore, input: { clinic?: string; hours?: string; force?: boolean }, now = new Date()): Promise<IssuedCode> {
  const clinicId = parse(clinicIdSchema, input.clinic, 'The clinic id (--clinic)');
  const hours = Number(input.hours ?? '24');
  if (!Number.isInteger(hours) || hours < 1 || hours > maxCodeHours) throw new AdminError(`--expires-hours must be a whole number from 1 to ${maxCodeHours}.`);
  const secretPart = generateCodeSecret();
  const hubPart = generateHubPart();
  const code = composeEnrollmentCode(secretPart, hubPart);
  const digest = codeDigest({ commitment: await codeCommitment(secretPart), hubPart });
  const expiresAt = new Date(now.getTime() + hours * 3600_000);
  await store.update((registry) => {
    getClinic(registry, clinicId);
    const active = activeWorkstations(registry, clinicId).length;
    if (active > 0 && !input.force) {
      throw new RegistryError(
        'clinic_has_key',
        `Clinic ${clinicId} already has ${active} enrolled workstation(s), which hold its data key: issue the code from an admin session on one of them, so the key travels with it. (--force issues a code without the key.)`,
      );
    }
    addEnrollmentCode(registry, { clinicId, digest, wrappedKey: null, issuedBy: 'admin-command', expiresAt }, now);
  });
  return { code, expiresAt };
}

/**
 * Revokes a workstation and its unused codes, and lists the workstations
 * enrolled with codes it issued (and with theirs, in turn): a stolen or
 * rogue workstation may have enrolled others before it was revoked, and only
 * the administrator can tell those from the clinic's real desks.
 */
export async function revokeCommand(store: RegistryStore, input: { workstation?: string }, now = new Date()): Promise<string[]> {
  const workstationId = parse(workstationIdSchema, input.workstation, 'The workstation id (--workstation)');
  const { revocation, enrolled } = await store.update((registry) => ({ revocation: revokeWorkstation(registry, workstationId, now), enrolled: enrolledThrough(registry, workstationId) }));
  const { workstation, codesRevoked } = revocation;
  return [
    `Workstation ${workstationId} of clinic ${workstation.clinicId} is revoked (since ${workstation.revokedAt}).`,
    codesRevoked === 0 ? 'It had no unused enrollment codes.' : `Its ${codesRevoked} unused enrollment code(s) are revoked too.`,
    ...(enrolled.length === 0
      ? ['No workstation enrolled with a code it issued.']
      : [
          `Workstations enrolled with codes it issued (review them; revoke any you do not recognize with \`admin revoke --workstation <id>\`):`,
          ...enrolled.map(({ workstationId: id, workstation: w, via }) => `${workstationLine(id, w)}${via === workstationId ? '' : `  [through ${via}]`}`),
        ]),
  ];
}

/** One workstation: id, state, the name given at enrollment, dates, and who issued the code it enrolled with. */
function workstationLine(id: string, w: Workstation): string {
  const issuer = w.enrolledBy === null ? '' : ` with a code from ${w.enrolledBy}`;
  return `  ${id}  ${w.revokedAt === null ? 'active ' : 'revoked'}  ${w.name}  (enrolled ${w.createdAt}${issuer}${w.revokedAt ? `, revoked ${w.revokedAt}` : ''})`;
}

function workstationLines(registry: Registry, clinicId: string): string[] {
  return Object.entries(registry.workstations)
    .filter(([, w]) => w.clinicId === clinicId)
    .map(([id, w]) => workstationLine(id, w));
}

/** One line per code the registry still remembers (used and ended ones for 30 days): state, who issued it, who used it. */
function codeLines(registry: Registry, clinicId: string, now: Date): string[] {
  return Object.values(registry.enrollmentCodes)
    .filter((code) => code.clinicId === clinicId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((code) => {
      const state = codeState(registry, code, now);
      const ended = state === 'used' ? `, used by ${code.usedBy} ${code.usedAt}` : state === 'revoked' && code.revokedAt ? `, revoked ${code.revokedAt}` : `, expires ${code.expiresAt}`;
      return `  ${state.padEnd(7)}  issued by ${code.issuedBy} ${code.createdAt}${ended}`;
    });
}

/**
 * Every clinic with its workstations (by name, so a hub administrator can
 * tell "Front desk" from "Maternity" before revoking one), or one clinic's
 * databases, codes (who issued and who used each) and workstations, as lines
 * for a terminal.
 */
export async function listCommand(store: RegistryStore, input: { clinic?: string }, now = new Date()): Promise<string[]> {
  const registry = await store.read();
  if (input.clinic === undefined) {
    const clinics = Object.entries(registry.clinics);
    if (clinics.length === 0) return ['No clinics yet: create one with `admin create-clinic --name <name>`.'];
    return clinics.flatMap(([id, clinic]) => {
      const workstations = workstationLines(registry, id);
      return [`${id}  ${clinic.name}  (created ${clinic.createdAt})`, ...(workstations.length === 0 ? ['  no workstations enrolled'] : workstations)];
    });
  }
  const clinicId = parse(clinicIdSchema, input.clinic, 'The clinic id (--clinic)');
  const clinic = getClinic(registry, clinicId);
  const databases = clinicDatabases(clinicId);
  const workstations = workstationLines(registry, clinicId);
  const codes = codeLines(registry, clinicId, now);
  return [
    `${clinicId}  ${clinic.name}`,
    `databases: ${Object.values(databases).join(', ')}`,
    `open enrollment codes: ${openCodes(registry, clinicId, now).length}`,
    ...(codes.length === 0 ? [] : ['enrollment codes (the last 30 days):', ...codes]),
    workstations.length === 0 ? 'no workstations enrolled' : 'workstations:',
    ...workstations,
  ];
}
