import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFhirClient } from './fhir-client';
import { createFhirServerSettings } from './fhir-server-settings';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A stand-in server answering each request with `answer`, recording what it was sent (the loopback FHIR server, tools/fhir/server, is tested with this client in e2e/fhir). */
async function stubServer(answer: (req: IncomingMessage, body: string) => { status: number; body: unknown }) {
  const seen: { method: string; url: string; authorization?: string; body: string }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), body });
      const { status, body: reply } = answer(req, body);
      res.writeHead(status, { 'Content-Type': 'application/fhir+json' }).end(typeof reply === 'string' ? reply : JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir/R4`, seen };
}

async function clientFor(baseUrl: string, auth: { auth: 'none' } | { auth: 'bearer'; token: string } = { auth: 'none' }) {
  const folder = mkdtempSync(join(tmpdir(), 'clinic-fhir-client-'));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  const settings = createFhirServerSettings(join(folder, 'fhir-server.json'));
  await settings.set({ baseUrl, ...auth });
  return createFhirClient(settings);
}

describe('the FHIR client (main process)', () => {
  it('posts a transaction to the base with the credentials, and reads each entry’s status back', async () => {
    const server = await stubServer(() => ({ status: 200, body: { resourceType: 'Bundle', type: 'transaction-response', entry: [{ response: { status: '201 Created' } }, { response: { status: '200 OK' } }] } }));
    const client = await clientFor(server.url, { auth: 'bearer', token: 'token-123' });
    expect(await client.transaction('{"resourceType":"Bundle","type":"transaction"}')).toEqual({ stored: true, entries: [{ status: '201 Created' }, { status: '200 OK' }] });
    expect(server.seen[0]).toEqual({ method: 'POST', url: '/fhir/R4/', authorization: 'Bearer token-123', body: '{"resourceType":"Bundle","type":"transaction"}' });
  });

  it('passes on what the server said of a refused transaction, path and words', async () => {
    const server = await stubServer(() => ({ status: 400, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', details: { text: 'Invalid code' }, expression: ['Bundle.entry[1].resource.status'] }] } }));
    const client = await clientFor(server.url);
    expect(await client.transaction('{}')).toEqual({ stored: false, status: 400, issues: [{ severity: 'error', text: 'Invalid code', expression: 'Bundle.entry[1].resource.status' }] });
  });

  it('says plainly when the server is not there, refuses the credentials, is busy, or is not FHIR R4', async () => {
    const closed = await clientFor('http://127.0.0.1:9/fhir');
    await expect(closed.transaction('{}')).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/cannot be reached/) as unknown });
    const refusing = await clientFor((await stubServer(() => ({ status: 401, body: {} }))).url);
    await expect(refusing.capabilities()).rejects.toMatchObject({ message: expect.stringMatching(/refused this workstation's credentials/) as unknown });
    const busy = await clientFor((await stubServer(() => ({ status: 503, body: 'down for maintenance' }))).url);
    await expect(busy.transaction('{}')).rejects.toMatchObject({ message: expect.stringMatching(/cannot be reached/) as unknown });
    const stu3 = await clientFor((await stubServer(() => ({ status: 200, body: { resourceType: 'CapabilityStatement', fhirVersion: '3.0.2' } }))).url);
    await expect(stu3.capabilities()).rejects.toMatchObject({ message: expect.stringMatching(/speaks FHIR 3.0.2/) as unknown });
    const web = await clientFor((await stubServer(() => ({ status: 200, body: '<html>hello</html>' }))).url);
    await expect(web.capabilities()).rejects.toMatchObject({ message: expect.stringMatching(/not as a FHIR server/) as unknown });
    const r4 = await clientFor((await stubServer(() => ({ status: 200, body: { resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', software: { name: 'HAPI FHIR', version: '7.4' } } }))).url);
    expect(await r4.capabilities()).toEqual({ fhirVersion: '4.0.1', software: 'HAPI FHIR 7.4' });
  });
});
