import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { z } from 'zod';
import { ApiError } from '../../app/contract/errors';

/**
 * SMART Backend Services for the FHIR server (the HL7 SMART App Launch
 * "client-credentials with a signed JWT assertion" flow): this workstation
 * has its own ES384 key pair, made once and kept by the main process; the
 * admin registers the public key with the server for a client id. For a
 * token the workstation finds the server's token endpoint
 * (`.well-known/smart-configuration`), signs a short assertion (issuer and
 * subject the client id, audience the token endpoint, a fresh `jti`, five
 * minutes) and trades it for an access token, kept until a minute before it
 * expires. jose does the signing (WebCrypto underneath).
 */

export const smartKeySchema = z.object({ kid: z.string().min(1).max(100), privateJwk: z.record(z.string(), z.string()), publicJwk: z.record(z.string(), z.string()) }).strict();
export type SmartKey = z.infer<typeof smartKeySchema>;

const algorithm = 'ES384';

export async function newSmartKey(): Promise<SmartKey> {
  const { privateKey, publicKey } = await generateKeyPair(algorithm, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, privateJwk: strings(await exportJWK(privateKey)), publicJwk: strings({ ...publicJwk, kid, alg: algorithm, use: 'sig' }) };
}

function strings(jwk: JWK): Record<string, string> {
  return Object.fromEntries(Object.entries(jwk).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

export interface SmartClient {
  baseUrl: string;
  clientId: string;
  scope: string;
  key: SmartKey;
}

const configurationSchema = z.object({ token_endpoint: z.url({ protocol: /^https?$/ }) });
const tokenSchema = z.object({ access_token: z.string().min(1).max(8192), expires_in: z.number().positive().optional() });

/** Tokens kept per server and client until a minute before they expire. */
export function createSmartTokens(fetchImpl: typeof fetch, now: () => number = Date.now) {
  const kept = new Map<string, { token: string; expiresAt: number }>();
  const refused = (host: string, clientId: string) =>
    new ApiError({ code: 'unavailable', message: `The FHIR server at ${host} did not give this workstation a token for client id ${clientId}. An admin checks that the server has this workstation's public key (Settings → FHIR server) for that client id.` });
  return {
    /** A bearer token; `fresh` asks for a new one (the server refused the last). */
    async token(client: SmartClient, fresh = false): Promise<string> {
      const name = `${client.baseUrl} ${client.clientId} ${client.key.kid}`;
      const held = kept.get(name);
      if (!fresh && held && held.expiresAt > now()) return held.token;
      const host = new URL(client.baseUrl).host;
      let tokenUrl: string;
      let answer: Response;
      try {
        const configuration = configurationSchema.safeParse(await (await fetchImpl(new URL('.well-known/smart-configuration', client.baseUrl), { headers: { Accept: 'application/json' }, redirect: 'error' })).json());
        if (!configuration.success) throw new ApiError({ code: 'unavailable', message: `The FHIR server at ${host} does not say where its SMART token endpoint is (.well-known/smart-configuration). Check the address, or choose another way to sign in.` });
        tokenUrl = configuration.data.token_endpoint;
        const assertion = await new SignJWT({})
          .setProtectedHeader({ alg: algorithm, kid: client.key.kid, typ: 'JWT' })
          .setIssuer(client.clientId)
          .setSubject(client.clientId)
          .setAudience(tokenUrl)
          .setJti(crypto.randomUUID())
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(await importJWK(client.key.privateJwk, algorithm));
        const form = new URLSearchParams({ grant_type: 'client_credentials', scope: client.scope, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
        answer = await fetchImpl(tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, body: form.toString(), redirect: 'error' });
      } catch (error) {
        if (error instanceof ApiError) throw error;
        throw new ApiError({ code: 'unavailable', message: `The FHIR server at ${host} cannot be reached. Check the address and the connection; the push tries again by itself.` });
      }
      const token = answer.ok ? tokenSchema.safeParse(await answer.json().catch(() => undefined)) : undefined;
      if (!token?.success) throw refused(host, client.clientId);
      const lifetimeMs = (token.data.expires_in ?? 300) * 1000;
      kept.set(name, { token: token.data.access_token, expiresAt: now() + Math.max(0, lifetimeMs - 60_000) });
      return token.data.access_token;
    },
  };
}
