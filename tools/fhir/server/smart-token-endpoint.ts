import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';

/**
 * The SMART Backend Services side of the loopback FHIR server: it says where
 * its token endpoint is (`.well-known/smart-configuration`), and trades a
 * client-credentials grant with a JWT assertion for a bearer token when the
 * assertion is signed by a registered key for the registered client id,
 * names the token endpoint as its audience, is at most five minutes old and
 * its `jti` was never seen before. Tokens last five minutes.
 */
export interface SmartTokenEndpoint {
  /** Answers the SMART discovery and token requests; false for anything else. */
  answer(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean>;
  valid(authorization: string): boolean;
  /** Token requests answered with a token. */
  readonly issued: number;
  /** Every token given so far stops working (a server's admin withdrawing them). */
  withdrawAll(): void;
}

const tokenLifetimeS = 300;

export function createSmartTokenEndpoint(options: { base: string; basePath: string; clientId: string; jwks: { keys: JWK[] } }): SmartTokenEndpoint {
  const tokenUrl = `${options.base}auth/token`;
  const keys = createLocalJWKSet(options.jwks);
  const tokens = new Map<string, number>();
  const seenJtis = new Set<string>();
  let issued = 0;
  const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
  return {
    get issued() {
      return issued;
    },
    async answer(req, res, pathname) {
      if (req.method === 'GET' && pathname === `${options.basePath}.well-known/smart-configuration`) {
        json(res, 200, { token_endpoint: tokenUrl, grant_types_supported: ['client_credentials'], token_endpoint_auth_methods_supported: ['private_key_jwt'], token_endpoint_auth_signing_alg_values_supported: ['ES384', 'RS384'] });
        return true;
      }
      if (req.method !== 'POST' || pathname !== `${options.basePath}auth/token`) return false;
      let text = '';
      for await (const chunk of req as AsyncIterable<Buffer>) text += chunk.toString('utf8');
      const form = new URLSearchParams(text);
      const refuse = () => json(res, 401, { error: 'invalid_client' });
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return (json(res, 400, { error: 'invalid_request' }), true);
      try {
        const { payload } = await jwtVerify(form.get('client_assertion') ?? '', keys, { issuer: options.clientId, subject: options.clientId, audience: tokenUrl, maxTokenAge: '5m' });
        if (!payload.jti || seenJtis.has(payload.jti)) return (refuse(), true);
        seenJtis.add(payload.jti);
      } catch {
        return (refuse(), true);
      }
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, Date.now() + tokenLifetimeS * 1000);
      issued++;
      json(res, 200, { access_token: token, token_type: 'bearer', expires_in: tokenLifetimeS, scope: form.get('scope') ?? '' });
      return true;
    },
    valid(authorization) {
      const token = /^Bearer (.+)$/.exec(authorization)?.[1];
      const expiresAt = token === undefined ? undefined : tokens.get(token);
      return expiresAt !== undefined && expiresAt > Date.now();
    },
    withdrawAll: () => tokens.clear(),
  };
}
