import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { fhirServerInputSchema, type FhirServerInput, type FhirServerSummary } from '../../app/contract/fhir-server';
import { writeFileAtomic } from '../services/atomic-file';

/**
 * The FHIR server this workstation pushes to, secrets included, in the main
 * process's own file (0600, written atomically). The screens and the data
 * worker are told the address and the kind of authentication, never a
 * password or token: only `authorization` (for the client here) reads them.
 */

const storedSchema = z.object({ formatVersion: z.literal(1), server: fhirServerInputSchema }).strict();

export interface FhirServerSettings {
  get(): Promise<FhirServerSummary>;
  set(input: FhirServerInput): Promise<FhirServerSummary>;
  /** The address and the Authorization header to send; undefined when none is set. */
  connection(): Promise<{ baseUrl: string; authorization?: string } | undefined>;
}

export function createFhirServerSettings(file: string): FhirServerSettings {
  const read = async (): Promise<FhirServerInput | undefined> => {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      return storedSchema.parse(JSON.parse(text)).server;
    } catch {
      // A damaged file is as good as none: the admin enters the server again; nothing else depends on it.
      return undefined;
    }
  };
  return {
    get: async () => summary(await read()),
    async set(input) {
      await writeFileAtomic(file, JSON.stringify({ formatVersion: 1, server: input }));
      return summary(input);
    },
    async connection() {
      const server = await read();
      if (!server) return undefined;
      // The base ends in a slash, so relative paths (`metadata`) resolve under it.
      const baseUrl = server.baseUrl.endsWith('/') ? server.baseUrl : `${server.baseUrl}/`;
      if (server.auth === 'basic') return { baseUrl, authorization: `Basic ${Buffer.from(`${server.username}:${server.password}`, 'utf8').toString('base64')}` };
      if (server.auth === 'bearer') return { baseUrl, authorization: `Bearer ${server.token}` };
      return { baseUrl };
    },
  };
}

function summary(server: FhirServerInput | undefined): FhirServerSummary {
  if (!server) return { configured: false };
  return { configured: true, baseUrl: server.baseUrl, auth: server.auth, ...(server.auth === 'basic' ? { username: server.username } : {}) };
}
