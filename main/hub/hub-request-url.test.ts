import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveHubRequestUrl } from './hub-request-url';

const db = 'clinic-0123456789abcdef0123456789abcdef-records';
const other = 'clinic-0123456789abcdef0123456789abcdef-staff';
const databases = [db, other];

describe('where a hub request may go', () => {
  it('resolves a replication request under the hub base, into this clinic’s database', () => {
    for (const hubUrl of ['http://127.0.0.1:5984/', 'https://hub.example/clinics/', 'https://hub.example/clinics']) {
      const url = resolveHubRequestUrl(hubUrl, databases, `/${db}/_changes?since=0&feed=longpoll`);
      expect(url?.href).toBe(`${hubUrl.replace(/\/?$/, '/')}${db}/_changes?since=0&feed=longpoll`);
    }
    expect(resolveHubRequestUrl('http://127.0.0.1:5984/', databases, `/${other}/_bulk_docs`)?.pathname).toBe(`/${other}/_bulk_docs`);
    expect(resolveHubRequestUrl('http://127.0.0.1:5984/', databases, `/${db}`)?.pathname).toBe(`/${db}`);
  });

  it('refuses paths that escape once resolved, however the dots and slashes are written', () => {
    const base = 'https://hub.example/clinics/';
    for (const path of [
      `/${db}/.%2e/.%2e/x`,
      `/${db}/%2e%2e/%2e%2e/x`,
      `/${db}/%2E%2E/x`,
      `/${db}/.%2E/x`,
      `/${db}/../../x`,
      `/${db}\\..\\..\\x`,
      `/${db}%2F..%2F_users`,
      `/${db}/a%2fb`,
      `/${db}/a%5cb`,
      '/_all_dbs',
      `/clinic-${'f'.repeat(32)}-records/_changes`,
      `//evil.example/${db}`,
      `/\\evil.example/${db}`,
      `${db}/_changes`,
      `/${db}@evil.example/`,
      `/..%2f${db}`,
    ]) {
      expect(resolveHubRequestUrl(base, databases, path), path).toBeUndefined();
    }
  });

  it('property: any path either resolves inside the base and this clinic’s databases, or is refused', () => {
    const pieces = fc.constantFrom('/', '.', '..', '%2e', '%2E', '%2f', '%2F', '%5c', '\\', '?', '#', '@', ':', '%', 'x', '_changes', db, other, 'evil.example', '%00', ' ', '//');
    const base = 'https://hub.example/clinics/';
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }), fc.boolean(), (parts, rooted) => {
        const path = `${rooted ? '/' : ''}${parts.join('')}`;
        const url = resolveHubRequestUrl(base, databases, path);
        if (url === undefined) return;
        expect(url.origin).toBe('https://hub.example');
        expect(url.pathname.startsWith('/clinics/')).toBe(true);
        const [first, ...rest] = url.pathname.slice('/clinics/'.length).split('/');
        expect(databases).toContain(first);
        expect(rest).not.toContain('..');
        expect(url.pathname).not.toMatch(/%2f|%5c/i);
      }),
      { numRuns: 2000 },
    );
  });
});
