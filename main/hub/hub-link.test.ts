import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { codeCommitment, composeEnrollmentCode, enrollmentProof, generateCodeSecret, hubPartPattern } from '../../app/enrollment/enrollment-code';
import { startHubProcess, unissuedCode, type HubProcess } from '../../sync/hub/test-support';
import { silentLogger } from '../../app/log/logger';
import { createHubLink, normalizeHubUrl } from './hub-link';

// The link against the real hub process: enrollment, depositing a code, and
// the replication requests it lets through (and the ones it does not).

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

let hub: HubProcess;
let clinicId: string;
let scratch: string;
const newLink = (name: string) => createHubLink({ file: join(scratch, name, 'hub-link.json'), log: silentLogger });

beforeAll(async () => {
  hub = await startHubProcess();
  clinicId = hub.admin('create-clinic', '--name', 'Link clinic').stdout;
  scratch = await mkdtemp(join(tmpdir(), 'clinic-hub-link-'));
});

afterAll(async () => {
  await hub?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the hub link', () => {
  it('enrolls with a code proof, keeps the credentials private to this user, and reaches only this clinic’s databases', async () => {
    const link = newLink('first');
    expect(await link.status()).toEqual({ linked: false });
    const code = hub.admin('issue-code', '--clinic', clinicId).stdout;
    const enrolled = await link.enroll({ hubUrl: hub.url.replace(/\/$/, ''), codeProof: await enrollmentProof(code), workstationName: 'Front desk' });
    expect(enrolled).toMatchObject({ clinicId, wrappedKey: null });
    // Every declared collection's database, named by the shared protocol as the hub names it.
    expect(await link.status()).toMatchObject({ linked: true, hubUrl: hub.url, clinicId, databases: { records: `${clinicId}-records`, staff: `${clinicId}-staff` } });
    expect(JSON.stringify(await link.status())).not.toMatch(/secret/i);
    expect((await stat(join(scratch, 'first', 'hub-link.json'))).mode & 0o077).toBe(0);

    // A replication request goes out with the credentials added.
    const changes = await link.request({ method: 'GET', path: `/${clinicId}-records/_changes?since=0&limit=1` });
    expect(changes.status).toBe(200);
    expect(JSON.parse(changes.body)).toHaveProperty('results');

    // Anything but this clinic's databases is refused here, before the hub is asked.
    for (const path of ['/_all_dbs', `/clinic-${'0'.repeat(32)}-records/_changes`, `/${clinicId}-records/../_users`, `/${clinicId}-records%2F..%2F_users`, `/${clinicId}-records/.%2e/.%2e/x`, `/${clinicId}-records/%2e%2e/%2e%2e/x`]) {
      await expect(link.request({ method: 'GET', path })).rejects.toMatchObject({ code: 'bad_request' });
    }
    await expect(link.enroll({ hubUrl: hub.url, codeProof: await enrollmentProof(unissuedCode()), workstationName: 'Again' })).rejects.toThrow(/already linked/);
  });

  it('deposits a code with the wrapped key, which the next workstation receives at enrollment', async () => {
    const link = newLink('issuer');
    await link.enroll({ hubUrl: hub.url, codeProof: await enrollmentProof(hub.admin('issue-code', '--clinic', clinicId, '--force').stdout), workstationName: 'Admin desk' });
    const secretPart = generateCodeSecret();
    const issued = await link.issueCode({ codeCommitment: await codeCommitment(secretPart), wrappedKey: 'v1.c2FsdA==.aXY=.a2V5', expiresInHours: 2 });
    expect(Date.parse(issued.expiresAt)).toBeGreaterThan(Date.now());
    expect(issued.hubPart).toMatch(hubPartPattern);
    const code = composeEnrollmentCode(secretPart, issued.hubPart);
    const next = await newLink('next').enroll({ hubUrl: hub.url, codeProof: await enrollmentProof(code), workstationName: 'Ward' });
    expect(next.wrappedKey).toBe('v1.c2FsdA==.aXY=.a2V5');
  });

  it('forgets its link (and the credentials) only when asked for the link it has', async () => {
    const link = newLink('forget');
    const code = hub.admin('issue-code', '--clinic', clinicId, '--force').stdout;
    const { workstationId } = await link.enroll({ hubUrl: hub.url, codeProof: await enrollmentProof(code), workstationName: 'Wrong hub' });
    const file = join(scratch, 'forget', 'hub-link.json');
    await expect(link.unlink(`ws-${'0'.repeat(32)}`)).rejects.toMatchObject({ code: 'bad_request' });
    expect((await stat(file)).isFile()).toBe(true);
    expect(await link.unlink(workstationId)).toEqual({ linked: false });
    expect(await link.status()).toEqual({ linked: false });
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(link.request({ method: 'GET', path: `/${clinicId}-records` })).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('says in the hub’s own words why a code is refused, and stays unlinked', async () => {
    const link = newLink('refused');
    await expect(link.enroll({ hubUrl: hub.url, codeProof: await enrollmentProof(unissuedCode()), workstationName: 'X' })).rejects.toThrow(/enrollment code is not valid/);
    expect(await link.status()).toEqual({ linked: false });
  });

  it('tells apart an address nobody answers at, a server that is not a hub, and text that is not an address', async () => {
    const link = newLink('lost');
    const proof = await enrollmentProof(unissuedCode());
    await expect(link.enroll({ hubUrl: 'http://127.0.0.1:9/', codeProof: proof, workstationName: 'X' })).rejects.toThrow(/cannot be reached/);
    const web = createServer((_req, res) => res.writeHead(201, { 'Content-Type': 'text/html' }).end('<html>router login</html>'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const port = (web.address() as { port: number }).port;
    await expect(link.enroll({ hubUrl: `http://127.0.0.1:${port}`, codeProof: proof, workstationName: 'X' })).rejects.toThrow(/not as a clinic hub/);
    web.close();
    expect(() => normalizeHubUrl('hub dot clinic')).toThrow(/not a web address/);
    expect(() => normalizeHubUrl('ftp://hub.example.org')).toThrow(/https/);
    expect(await link.status()).toEqual({ linked: false });
  });

  it('keeps a slow answer going for as long as it keeps arriving, and gives up on one that falls silent', async () => {
    const clinic = `clinic-${'c'.repeat(32)}`;
    let stallAfter = Infinity;
    // A hub on a slow link: the answer comes a piece every 100 ms, 1.3 s in all.
    const slow = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      let sent = 0;
      const piece = () => {
        if (sent === stallAfter) return;
        if (sent === 12) return void res.end('"}');
        res.write(sent === 0 ? '{"results":"' : 'x'.repeat(100));
        sent++;
        setTimeout(piece, 100);
      };
      piece();
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const file = join(scratch, 'slow', 'hub-link.json');
      await mkdir(join(scratch, 'slow'), { recursive: true });
      const hubUrl = `http://127.0.0.1:${(slow.address() as { port: number }).port}/`;
      const saved = { formatVersion: 1, hubUrl, hubId: 'slow-hub', workstationId: `ws-${'d'.repeat(32)}`, secret: 's', clinicId: clinic, databases: { records: `${clinic}-records`, staff: `${clinic}-staff` }, linkedAt: new Date().toISOString() };
      await writeFile(file, JSON.stringify(saved));
      const link = createHubLink({ file, log: silentLogger, timeouts: { silenceMs: 400 } });
      const path = `/${clinic}-records/_changes?since=0`;
      const answer = await link.request({ method: 'GET', path });
      expect(answer.status).toBe(200);
      expect((JSON.parse(answer.body) as { results: string }).results).toHaveLength(1100);
      stallAfter = 4;
      await expect(link.request({ method: 'GET', path })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/cannot be reached/) as unknown });
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });

  it('links to no hub that does not serve every collection this workstation replicates', async () => {
    // A hub answering as ours does, but without the staff database (an older or foreign one).
    const clinic = `clinic-${'e'.repeat(32)}`;
    const partial = createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/') return res.end(JSON.stringify({ couchdb: 'Welcome', uuid: 'partial-hub' }));
      req.resume();
      res.statusCode = 201;
      res.end(JSON.stringify({ workstationId: `ws-${'e'.repeat(32)}`, secret: 'S'.repeat(43), clinicId: clinic, databases: { records: `${clinic}-records` } }));
    });
    await new Promise<void>((resolve) => partial.listen(0, '127.0.0.1', resolve));
    try {
      const link = newLink('partial');
      const hubUrl = `http://127.0.0.1:${(partial.address() as { port: number }).port}/`;
      await expect(link.enroll({ hubUrl, codeProof: await enrollmentProof(unissuedCode()), workstationName: 'Front desk' })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/does not serve everything/) as unknown });
      expect(await link.status()).toEqual({ linked: false });
    } finally {
      partial.closeAllConnections();
      partial.close();
    }
  });
});
