import { z } from 'zod';
import { keyWrapSchema } from '../../app/crypto/keys';

export interface LocalEntry {
  id: string;
  value: string;
}

/** This workstation's identity and the clinic's recovery wrap, stored in clear (not PHI). */
export const clinicIdentitySchema = z
  .object({
    formatVersion: z.literal(1),
    clinicId: z.string(),
    clinicName: z.string(),
    workstationId: z.string(),
    createdAt: z.iso.datetime(),
    recoveryWrap: keyWrapSchema,
  })
  .strict();
export type ClinicIdentity = z.infer<typeof clinicIdentitySchema>;
