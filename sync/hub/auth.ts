import { randomBytes } from 'node:crypto';
import { workstationIdSchema, type ClinicId, type WorkstationId } from '../protocol/naming';
import { getWorkstation } from './registry';
import type { RegistryStore } from './registry-store';
import { constantTimeEqual, hashSecret, keyedDigest, newSecret, secretPattern, verifySecret } from './secrets';

/**
 * Who is calling: HTTP Basic with the workstation id as user name and the
 * secret issued at enrollment as password, checked against the registry on
 * every request (so a revocation takes effect at once).
 */
export type AuthResult =
  /** No credentials at all: 401, and not a guess, so not counted against the address. */
  | { kind: 'missing' }
  /**
   * Malformed, unknown or wrong: 401, counted. The three look the same from
   * outside, in answer and in time. `claimed` is the workstation id the caller
   * named, when it has that shape, for the per-id failure count.
   */
  | { kind: 'invalid'; claimed?: WorkstationId }
  /** The right secret of a revoked workstation (so the caller already knows the id exists). */
  | { kind: 'revoked'; workstationId: WorkstationId }
  | { kind: 'ok'; workstationId: WorkstationId; clinicId: ClinicId };

export interface Authenticator {
  authenticate(authorization: string | undefined): Promise<AuthResult>;
}

export interface AuthenticatorOptions {
  /** How long a verified secret is remembered in memory (default five minutes). */
  cacheMs?: number;
  now?: () => number;
  /** The key derivation check (secrets.ts); a test counts its calls. */
  verify?: (secret: string, stored: string) => Promise<boolean>;
}

const basicPattern = /^Basic ([A-Za-z0-9+/]+={0,2})$/i;
const maxCached = 10_000;

export function parseBasic(authorization: string): { user: string; password: string } | undefined {
  const match = basicPattern.exec(authorization.trim());
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function createAuthenticator(registry: RegistryStore, { cacheMs = 5 * 60_000, now = Date.now, verify = verifySecret }: AuthenticatorOptions = {}): Authenticator {
  // scrypt costs tens of milliseconds and replication sends a request every
  // few seconds per workstation, so a verified secret is remembered as an
  // HMAC under a key that exists only in this process; a changed stored hash
  // (re-enrollment) or an expired entry falls back to scrypt.
  const cacheKey = randomBytes(32);
  const verified = new Map<string, { digest: Buffer; secretHash: string; until: number }>();
  // Unknown ids still pay for one scrypt, so response time does not tell which ids exist.
  let decoyHash: Promise<string> | undefined;

  async function secretMatches(workstationId: string, secret: string, secretHash: string): Promise<boolean> {
    const digest = keyedDigest(cacheKey, secret);
    const cached = verified.get(workstationId);
    if (cached && cached.secretHash === secretHash && cached.until > now() && constantTimeEqual(cached.digest, digest)) return true;
    // Only the right secret takes the quick way. A wrong one always pays a
    // full derivation, cached id or not: a quick "no" (4 ms against 50-200)
    // told that an id exists and was used in the last minutes.
    if (!(await verify(secret, secretHash))) return false;
    verified.delete(workstationId);
    verified.set(workstationId, { digest, secretHash, until: now() + cacheMs });
    while (verified.size > maxCached) verified.delete(verified.keys().next().value!);
    return true;
  }

  return {
    async authenticate(authorization) {
      if (authorization === undefined || authorization.trim() === '') return { kind: 'missing' };
      const credentials = parseBasic(authorization);
      if (!credentials || !workstationIdSchema.safeParse(credentials.user).success || !secretPattern.test(credentials.password)) {
        return { kind: 'invalid' };
      }
      const workstationId = credentials.user;
      const current = await registry.read();
      const workstation = getWorkstation(current, workstationId);
      if (!workstation || !Object.hasOwn(current.clinics, workstation.clinicId)) {
        decoyHash ??= hashSecret(newSecret());
        await verify(credentials.password, await decoyHash);
        return { kind: 'invalid', claimed: workstationId };
      }
      if (!(await secretMatches(workstationId, credentials.password, workstation.secretHash))) return { kind: 'invalid', claimed: workstationId };
      // Read again: a revocation may have landed while scrypt ran.
      const latest = getWorkstation(await registry.read(), workstationId);
      if (!latest || latest.revokedAt !== null) return { kind: 'revoked', workstationId };
      return { kind: 'ok', workstationId, clinicId: workstation.clinicId };
    },
  };
}
