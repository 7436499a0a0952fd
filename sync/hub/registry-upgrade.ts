import { z } from 'zod';
import { clinicIdSchema, workstationIdSchema } from '../protocol/naming';
import { clinicSchema, codeDigestSchema, enrollmentCodeSchema, registrySchema, workstationSchema, type Registry } from './registry';

/**
 * Reads the registry file's content, upgrading an older version in memory
 * (the next update writes it back in the current one).
 *
 * Version 1 → 2. Codes of the first format were made wholly by a workstation
 * and kept as the digest of their proof; no workstation of this version can
 * present one, and their digests could never match the new derivation. Those
 * still open are marked revoked now, so they stop counting as open codes and
 * the listing says what became of them (they lived at most a week anyway;
 * a workstation that types one is told it is of the older kind). Workstations
 * learn who issued the code they enrolled with, where that code is still
 * recorded; null where it was already forgotten.
 */

const registryV1Schema = z.strictObject({
  version: z.literal(1),
  hubId: z.string().regex(/^[0-9a-f]{32}$/),
  clinics: z.record(clinicIdSchema, clinicSchema),
  workstations: z.record(workstationIdSchema, workstationSchema.omit({ enrolledBy: true })),
  enrollmentCodes: z.record(codeDigestSchema, enrollmentCodeSchema.omit({ revokedAt: true })),
});

/** Throws (a zod error) when the content is no version this hub knows. */
export function readRegistry(content: unknown, now: Date): Registry {
  const current = registrySchema.safeParse(content);
  if (current.success) return current.data;
  const old = registryV1Schema.parse(content);
  const issuerOf = new Map(Object.values(old.enrollmentCodes).flatMap((code) => (code.usedBy === null ? [] : [[code.usedBy, code.issuedBy] as const])));
  const at = now.toISOString();
  return registrySchema.parse({
    version: 2,
    hubId: old.hubId,
    clinics: old.clinics,
    workstations: Object.fromEntries(Object.entries(old.workstations).map(([id, w]) => [id, { ...w, enrolledBy: issuerOf.get(id) ?? null }])),
    enrollmentCodes: Object.fromEntries(
      Object.entries(old.enrollmentCodes).map(([digest, code]) => {
        const open = code.usedAt === null && Date.parse(code.expiresAt) > now.getTime();
        return [digest, { ...code, revokedAt: open ? at : null }];
      }),
    ),
  });
}
