import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSample } from '../sample/write-sample';
import { loadFhirValidators } from '../validators';
import { startFhirServer, type RunningFhirServer } from './fhir-server';

const folders: string[] = [];
const folder = (prefix: string) => {
  const made = mkdtempSync(join(tmpdir(), prefix));
  folders.push(made);
  return made;
};

let entries: BundleEntry[];
beforeAll(async () => {
  loadFhirValidators();
  const out = folder('clinic-fhir-server-sample-');
  await writeSample({ patients: 6, seed: 3, format: 'transaction', out });
  entries = (JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')) as Bundle).entry ?? [];
}, 60_000);
afterAll(() => {
  for (const made of folders.splice(0)) rmSync(made, { recursive: true, force: true });
});

const post = async (server: RunningFhirServer, bundle: Bundle, headers: Record<string, string> = {}) => {
  const response = await fetch(server.url, { method: 'POST', headers: { 'Content-Type': 'application/fhir+json', ...headers }, body: JSON.stringify(bundle) });
  return { status: response.status, body: (await response.json()) as Bundle | OperationOutcome };
};
const transaction = (part: BundleEntry[]): Bundle => ({ resourceType: 'Bundle', type: 'transaction', entry: part });
const chunks = <T>(items: readonly T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
const count = async (server: RunningFhirServer, type: string) => ((await (await fetch(`${server.url}${type}?_count=1000`)).json()) as Bundle).entry?.length ?? 0;

describe('the loopback FHIR server (Medplum’s router, validating, journaled)', () => {
  it('takes our own transaction export 50 entries at a time, every resource readable at its id; sent again, nothing doubles', async () => {
    const server = await startFhirServer();
    try {
      for (const part of chunks(entries, 50)) expect((await post(server, transaction(part))).status).toBe(200);
      const patient = entries.find((entry) => entry.resource?.resourceType === 'Patient')!.resource!;
      const read = (await (await fetch(`${server.url}Patient/${patient.id}`)).json()) as Resource;
      expect(read).toMatchObject({ resourceType: 'Patient', id: patient.id });
      const observations = entries.filter((entry) => entry.resource?.resourceType === 'Observation').length;
      expect(await count(server, 'Observation')).toBe(observations);
      for (const part of chunks(entries, 50)) await post(server, transaction(part));
      expect(await count(server, 'Observation')).toBe(observations);
      expect(await count(server, 'Patient')).toBe(6);
    } finally {
      await server.close();
    }
  });

  it('refuses a whole transaction with an invalid entry, naming the entry’s path, and stores none of it', async () => {
    const server = await startFhirServer();
    try {
      const patient = entries.find((entry) => entry.resource?.resourceType === 'Patient')!;
      const observation = entries.find((entry) => entry.resource?.resourceType === 'Observation')!;
      // A status FHIR does not have: the type forbids it, so it goes in as JSON would.
      const broken = { ...observation, resource: JSON.parse(JSON.stringify({ ...observation.resource, status: 'half-done' })) as Resource };
      const { status, body } = await post(server, transaction([patient, broken]));
      expect(status).toBe(400);
      expect((body as OperationOutcome).issue?.some((issue) => issue.expression?.[0] === 'Bundle.entry[1].resource.status')).toBe(true);
      expect(await count(server, 'Patient')).toBe(0);
      // More than 50 updates in one transaction is refused too (the router's limit); a client sends smaller ones.
      expect((await post(server, transaction(entries.slice(0, 51)))).status).toBe(400);
    } finally {
      await server.close();
    }
  });

  it('says what it is at metadata: FHIR 4.0.1', async () => {
    const server = await startFhirServer();
    try {
      expect(await (await fetch(`${server.url}metadata`)).json()).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
    } finally {
      await server.close();
    }
  });

  it('asks for the credentials it was given: Basic or a Bearer token', async () => {
    const basic = await startFhirServer({ auth: { kind: 'basic', username: 'district', password: 'kijiji-42' } });
    const bearer = await startFhirServer({ auth: { kind: 'bearer', token: 'token-123' } });
    try {
      const part = transaction(entries.slice(0, 3));
      expect((await post(basic, part)).status).toBe(401);
      expect((await post(basic, part, { Authorization: `Basic ${btoa('district:wrong')}` })).status).toBe(401);
      expect((await post(basic, part, { Authorization: `Basic ${btoa('district:kijiji-42')}` })).status).toBe(200);
      expect((await post(bearer, part, { Authorization: 'Bearer token-12' })).status).toBe(401);
      expect((await post(bearer, part, { Authorization: 'Bearer token-123' })).status).toBe(200);
    } finally {
      await basic.close();
      await bearer.close();
    }
  });

  it('finds what it stored after a restart on the same journal', async () => {
    const journal = join(folder('clinic-fhir-server-journal-'), 'journal.ndjson');
    const first = await startFhirServer({ journal });
    await post(first, transaction(entries.slice(0, 20)));
    await first.close();
    const second = await startFhirServer({ journal });
    try {
      const stored = entries.slice(0, 20).filter((entry) => entry.resource?.resourceType === 'Patient').length;
      expect(stored).toBeGreaterThan(0);
      expect(await count(second, 'Patient')).toBe(stored);
    } finally {
      await second.close();
    }
  });
});
