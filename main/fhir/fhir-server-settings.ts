import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { fhirServerInputSchema, type FhirServerInput, type FhirServerSummary } from '../../app/contract/fhir-server';
import { writeFileAtomic } from '../services/atomic-file';
import { newSmartKey, smartKeySchema, type SmartClient, type SmartKey } from './smart-auth';

/**
 * The FHIR server this workstation pushes to, secrets included, in the main
 * process's own file (0600, written atomically). The screens and the data
 * worker are told the address and the kind of authentication, never a
 * password, token or private key: only `connection` (for the client here)
 * reads them. The SMART key pair is made the first time SMART is chosen and
 * kept when the server is changed, so a registration with the server stays
 * good.
 */

const storedSchema = z.object({ formatVersion: z.literal(1), server: fhirServerInputSchema, smartKey: smartKeySchema.optional() }).strict();
type Stored = z.infer<typeof storedSchema>;

/** How the client signs in: a ready Authorization header, or a SMART client that obtains tokens. */
export type FhirConnection = { baseUrl: string; authorization?: string; smart?: SmartClient };

export interface FhirServerSettings {
  get(): Promise<FhirServerSummary>;
  set(input: FhirServerInput): Promise<FhirServerSummary>;
  /** The address and how to sign in; undefined when no server is set. */
  connection(): Promise<FhirConnection | undefined>;
}

export function createFhirServerSettings(file: string): FhirServerSettings {
  const read = async (): Promise<Stored | undefined> => {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      return storedSchema.parse(JSON.parse(text));
    } catch {
      // A damaged file is as good as none: the admin enters the server again; nothing else depends on it.
      return undefined;
    }
  };
  return {
    get: async () => summary(await read()),
    async set(input) {
      const before = await read();
      const smartKey: SmartKey | undefined = before?.smartKey ?? (input.auth === 'smart' ? await newSmartKey() : undefined);
      const stored: Stored = { formatVersion: 1, server: input, ...(smartKey ? { smartKey } : {}) };
      await writeFileAtomic(file, JSON.stringify(stored));
      return summary(stored);
    },
    async connection() {
      const stored = await read();
      if (!stored) return undefined;
      const { server } = stored;
      // The base ends in a slash, so relative paths (`metadata`) resolve under it.
      const baseUrl = server.baseUrl.endsWith('/') ? server.baseUrl : `${server.baseUrl}/`;
      switch (server.auth) {
        case 'none':
          return { baseUrl };
        case 'basic':
          return { baseUrl, authorization: `Basic ${Buffer.from(`${server.username}:${server.password}`, 'utf8').toString('base64')}` };
        case 'bearer':
          return { baseUrl, authorization: `Bearer ${server.token}` };
        case 'smart':
          if (!stored.smartKey) return { baseUrl };
          return { baseUrl, smart: { baseUrl, clientId: server.clientId, scope: server.scope, key: stored.smartKey } };
      }
    },
  };
}

function summary(stored: Stored | undefined): FhirServerSummary {
  if (!stored) return { configured: false };
  const { server } = stored;
  const base = { configured: true as const, baseUrl: server.baseUrl, auth: server.auth };
  if (server.auth === 'basic') return { ...base, username: server.username };
  if (server.auth === 'smart') return { ...base, clientId: server.clientId, scope: server.scope, ...(stored.smartKey ? { jwks: { keys: [stored.smartKey.publicJwk] } } : {}) };
  return base;
}
