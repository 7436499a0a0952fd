import { z } from 'zod';
import { keyWrapSchema } from '../crypto/keys';
import { openPayload, sealPayload } from '../crypto/seal';
import { EnrollmentCodeError, unwrapDataKeyFromEnrollment, wrapDataKeyForEnrollment } from './enrollment-code';

/**
 * What a code carries to a new workstation, deposited at the hub as one
 * opaque string: the clinic data key wrapped under the code's secret part,
 * and the clinic's identity sealed under that key — its name (shown on the
 * lock screen before anyone logs in) and its recovery wrap (so the clinic's
 * recovery key works on every workstation, not only the first). The hub can
 * open neither part.
 *
 * Format: `<wrapped key>_<sealed identity>`; both parts are base64 and dots,
 * so `_` separates them within the hub's allowed characters.
 */

export const enrollmentIdentitySchema = z.strictObject({
  clinicName: z.string().min(1).max(100),
  recoveryWrap: keyWrapSchema,
});
export type EnrollmentIdentity = z.infer<typeof enrollmentIdentitySchema>;

const identityContext = (clinicId: string) => ['enrollment-identity', clinicId];

/** Made before the hub adds its part to the code, so under the code's secret part (`generateCodeSecret`). */
export async function sealEnrollmentPackage(dataKey: CryptoKey, secretPart: string, clinicId: string, identity: EnrollmentIdentity): Promise<string> {
  return `${await wrapDataKeyForEnrollment(dataKey, secretPart)}_${await sealPayload(dataKey, identityContext(clinicId), enrollmentIdentitySchema.parse(identity))}`;
}

export async function openEnrollmentPackage(pack: string, code: string, clinicId: string): Promise<{ dataKey: CryptoKey } & EnrollmentIdentity> {
  const [wrappedKey, sealedIdentity, extra] = pack.split('_');
  if (wrappedKey === undefined || sealedIdentity === undefined || extra !== undefined) {
    throw new EnrollmentCodeError('malformed_wrap', 'The clinic key received at enrollment is damaged.');
  }
  const dataKey = await unwrapDataKeyFromEnrollment(wrappedKey, code);
  const identity = enrollmentIdentitySchema.safeParse(await openPayload(dataKey, identityContext(clinicId), sealedIdentity, 'The clinic details received at enrollment').catch(() => undefined));
  if (!identity.success) throw new EnrollmentCodeError('malformed_wrap', 'The clinic details received at enrollment are damaged.');
  return { dataKey, ...identity.data };
}
