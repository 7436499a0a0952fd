import type { z } from 'zod';
import { enrollmentProof, generateEnrollmentCode } from '../../app/enrollment/enrollment-code';
import { clinicDatabases, clinicIdSchema, displayNameSchema, workstationIdSchema, type ClinicId } from './naming';
import { maxCodeHours } from './protocol';
import { activeWorkstations, addEnrollmentCode, createClinic, getClinic, openCodes, RegistryError, revokeWorkstation, type Registry } from './registry';
import type { RegistryStore } from './registry-store';
import { newClinicId, proofDigest } from './secrets';

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
 */
export async function issueCodeCommand(store: RegistryStore, input: { clinic?: string; hours?: string; force?: boolean }, now = new Date()): Promise<IssuedCode> {
  const clinicId = parse(clinicIdSchema, input.clinic, 'The clinic id (--clinic)');
  const hours = Number(input.hours ?? '24');
  if (!Number.isInteger(hours) || hours < 1 || hours > maxCodeHours) throw new AdminError(`--expires-hours must be a whole number from 1 to ${maxCodeHours}.`);
  const code = generateEnrollmentCode();
  const digest = proofDigest(await enrollmentProof(code));
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

export async function revokeCommand(store: RegistryStore, input: { workstation?: string }, now = new Date()): Promise<string> {
  const workstationId = parse(workstationIdSchema, input.workstation, 'The workstation id (--workstation)');
  const workstation = await store.update((registry) => revokeWorkstation(registry, workstationId, now));
  return `Workstation ${workstationId} of clinic ${workstation.clinicId} is revoked (since ${workstation.revokedAt}).`;
}

/** One line per workstation of the clinic: id, state, the name given at enrollment, dates. */
function workstationLines(registry: Registry, clinicId: string): string[] {
  return Object.entries(registry.workstations)
    .filter(([, w]) => w.clinicId === clinicId)
    .map(([id, w]) => `  ${id}  ${w.revokedAt === null ? 'active ' : 'revoked'}  ${w.name}  (enrolled ${w.createdAt}${w.revokedAt ? `, revoked ${w.revokedAt}` : ''})`);
}

/**
 * Every clinic with its workstations (by name, so a hub administrator can
 * tell "Front desk" from "Maternity" before revoking one), or one clinic's
 * databases, workstations and open codes, as lines for a terminal.
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
  return [
    `${clinicId}  ${clinic.name}`,
    `databases: ${databases.records}, ${databases.staff}`,
    `open enrollment codes: ${openCodes(registry, clinicId, now).length}`,
    workstations.length === 0 ? 'no workstations enrolled' : 'workstations:',
    ...workstations,
  ];
}
