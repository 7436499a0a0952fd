import { describe, expect, it } from 'vitest';
import { replicatedCollections } from '../../app/replication/replicated-collections';
import { collectionRefusal, parseRoute, type Route } from './routes';

const db = `clinic-${'a'.repeat(32)}-records`;
const kind = (route: Route) => (route.kind === 'engine' ? `${route.kind}:${route.operation}` : route.kind);

describe('the allow-list', () => {
  it('admits exactly what RxDB’s replication-couchdb plugin sends', () => {
    // Copied from node_modules/rxdb/src/plugins/replication-couchdb/index.ts (17.x).
    expect(kind(parseRoute('GET', `/${db}/_changes?style=all_docs&feed=normal&include_docs=true&since=0&heartbeat=60000&limit=100&seq_interval=100`))).toBe('engine:changes');
    expect(kind(parseRoute('GET', `/${db}/_changes?style=all_docs&feed=longpoll&since=now&include_docs=true&heartbeat=60000&limit=20&seq_interval=20`))).toBe('engine:changes');
    expect(kind(parseRoute('POST', `/${db}/_all_docs?`))).toBe('engine:all-docs');
    expect(kind(parseRoute('POST', `/${db}/_bulk_docs?`))).toBe('engine:bulk-docs');
    expect(kind(parseRoute('GET', `/${db}/_all_docs?include_docs=true&keys=[%22a%22]`))).toBe('engine:all-docs');
  });

  it('admits what PouchDB’s and CouchDB’s replicators add', () => {
    expect(kind(parseRoute('GET', '/'))).toBe('health');
    expect(kind(parseRoute('GET', `/${db}/`))).toBe('engine:database-info');
    expect(kind(parseRoute('PUT', `/${db}`))).toBe('engine:database-create');
    expect(kind(parseRoute('GET', `/${db}/_local/abc%2Bdef`))).toBe('engine:checkpoint');
    expect(kind(parseRoute('PUT', `/${db}/_local/abc`))).toBe('engine:checkpoint');
    expect(kind(parseRoute('POST', `/${db}/_revs_diff`))).toBe('engine:revs-diff');
    expect(kind(parseRoute('POST', `/${db}/_bulk_get?revs=true&attachments=true`))).toBe('engine:bulk-get');
    expect(kind(parseRoute('POST', `/${db}/_changes?filter=_doc_ids`))).toBe('engine:changes');
    expect(kind(parseRoute('GET', `/${db}/obs-1?revs=true&open_revs=%5B%221-a%22%5D&latest=true`))).toBe('engine:document');
    expect(kind(parseRoute('PUT', `/${db}/obs-1`))).toBe('engine:document');
    // Deleted by writing the sealed record marked deleted (document-rules.ts), never bare.
    expect(kind(parseRoute('DELETE', `/${db}/obs-1?rev=1-a`))).toBe('refused');
  });

  it('refuses a revision past the generation bound, or not a revision, wherever the query names one', () => {
    for (const target of [`/${db}/obs-1?rev=${Number.MAX_SAFE_INTEGER}-a`, `/${db}/obs-1?rev=abc`, `/${db}/obs-1?rev=1-a&rev=2-b`, `/${db}/obs-1?open_revs=%5B%2212345678901-a%22%5D`, `/${db}/obs-1?open_revs=nope`]) {
      expect(kind(parseRoute('DELETE', target)), target).toBe('malformed');
    }
    expect(kind(parseRoute('GET', `/${db}/obs-1?open_revs=all`))).toBe('engine:document');
  });

  it('routes the hub’s own endpoints to the front', () => {
    expect(kind(parseRoute('POST', '/_clinic/enroll'))).toBe('enroll');
    expect(kind(parseRoute('POST', '/_clinic/enrollment-codes'))).toBe('issue-code');
    expect(kind(parseRoute('GET', '/_session'))).toBe('session');
  });

  it.each([
    ['GET', '/_all_dbs'],
    ['GET', '/_config/admins'],
    ['GET', '/_users/org.couchdb.user:x'],
    ['POST', '/_session'],
    ['DELETE', '/_session'],
    ['POST', '/_replicate'],
    ['GET', '/_utils'],
    ['GET', '/_node/nonode@nohost/_config'],
    ['GET', '/_dbs_info'],
    ['GET', '/_scheduler/jobs'],
    ['GET', '/%5Fall_dbs'],
    ['GET', '/_clinic/enroll'],
    ['GET', '/somedb'],
    ['PUT', '/somedb'],
    ['PUT', `/clinic-${'a'.repeat(32)}-other`],
    ['DELETE', `/${db}`],
    ['POST', `/${db}`],
    ['COPY', `/${db}/obs-1`],
    ['POST', `/${db}/obs-1`],
    ['GET', `/${db}/_security`],
    ['PUT', `/${db}/_security`],
    ['POST', `/${db}/_compact`],
    ['POST', `/${db}/_view_cleanup`],
    ['POST', `/${db}/_temp_view`],
    ['POST', `/${db}/_find`],
    ['POST', `/${db}/_index`],
    ['POST', `/${db}/_purge`],
    ['POST', `/${db}/_ensure_full_commit`],
    ['PUT', `/${db}/_revs_limit`],
    ['GET', `/${db}/_design/app`],
    ['PUT', `/${db}/_design/app`],
    ['GET', `/${db}/_design%2Fapp`],
    ['GET', `/${db}/%5Fdesign%2Fapp`],
    ['GET', `/${db}/_design/app/_view/by`],
    ['GET', `/${db}/_design_docs`],
    ['GET', `/${db}/obs-1/photo.jpg`],
    ['PUT', `/${db}/obs-1/photo.jpg`],
    ['GET', `/${db}/_local/a/b`],
    ['DELETE', `/${db}/_local/a`],
    ['GET', `/${db}/_changes?feed=continuous`],
    ['GET', `/${db}/_changes?feed=eventsource`],
    ['GET', `/${db}/_changes?feed=normal&feed=continuous`],
    ['GET', `/${db}/_changes?filter=app/by-type`],
    ['GET', `/${db}/_changes?filter=_view&view=app/x`],
    ['PUT', `/${db}/_bulk_docs`],
    ['GET', `/${db}/_bulk_docs`],
    ['HEAD', `/${db}/_changes`],
  ])('refuses %s %s', (method, target) => {
    expect(parseRoute(method, target).kind).toBe('refused');
  });

  it.each([
    'http://evil.example/',
    '*',
    `/${db}/../_config`,
    `/${db}//_changes`,
    `/${db}/./x`,
    `/${db}/obs%2`,
    `/${db}/a#b`,
    `/${db}/a b`,
    `/${db}/a\\b`,
    `/${db}/_changes?feed[]=continuous`,
    `/${db}/_all_docs?__proto__=x`,
    `/${db}/_changes/`,
  ])('treats %s as malformed', (target) => {
    expect(parseRoute('GET', target).kind).toBe('malformed');
  });

  it('judges a document id in its decoded form, as the engine will see it', () => {
    // `_bulk%5Fdocs` does not match the engine's `_bulk_docs` route; it would become document "_bulk_docs".
    expect(parseRoute('GET', `/${db}/_bulk%5Fdocs`).kind).toBe('refused');
    expect(parseRoute('PUT', `/${db}/%5Fdesign`).kind).toBe('refused');
    expect(parseRoute('GET', `/${db}/a%2Fb`).kind).toBe('refused');
    expect(kind(parseRoute('GET', `/${db}/obs%3A1`))).toBe('engine:document');
  });

  it('gives every body-taking route a schema, and body-less routes none', () => {
    const route = parseRoute('POST', `/${db}/_bulk_docs`);
    expect(route.kind === 'engine' && route.body.kind).toBe('json');
    const info = parseRoute('GET', `/${db}`);
    expect(info.kind === 'engine' && info.body.kind).toBe('none');
    const create = parseRoute('PUT', `/${db}`);
    expect(create.kind === 'engine' && create.body.kind).toBe('empty');
  });

  it('lets a workstation read but never write a collection the hub operator keeps, and not read back one it only pushes', () => {
    const bulletins = { name: 'bulletins', content: 'clear', direction: 'pull', scope: 'shared', writtenBy: 'hub-operator' } as const;
    const outbox = { name: 'outbox', content: 'sealed', direction: 'push', scope: 'clinic', writtenBy: 'workstations' } as const;
    const withThem = [...replicatedCollections, bulletins, outbox];
    // Routed only when declared; this version's facility directory is read the same way.
    expect(kind(parseRoute('GET', '/shared-bulletins/_changes?since=0'))).toBe('refused');
    expect(kind(parseRoute('GET', '/shared-facilities/_changes?since=0'))).toBe('engine:changes');
    expect(kind(parseRoute('GET', '/shared-bulletins/_changes?since=0', withThem))).toBe('engine:changes');
    const asked = (method: string, target: string, collection: typeof bulletins | typeof outbox) => {
      const route = parseRoute(method, target, withThem);
      if (route.kind !== 'engine') throw new Error(`${method} ${target} is not routed`);
      return collectionRefusal(collection, route.operation, method);
    };
    for (const [method, target] of [['GET', '/shared-bulletins'], ['GET', '/shared-bulletins/_changes?since=0'], ['POST', '/shared-bulletins/_all_docs'], ['POST', '/shared-bulletins/_bulk_get'], ['GET', '/shared-bulletins/f-1'], ['GET', '/shared-bulletins/_local/c']] as const) {
      expect(asked(method, target, bulletins), `${method} ${target}`).toBeUndefined();
    }
    for (const [method, target] of [['POST', '/shared-bulletins/_bulk_docs'], ['PUT', '/shared-bulletins/f-1'], ['PUT', '/shared-bulletins/_local/c'], ['PUT', '/shared-bulletins']] as const) {
      expect(asked(method, target, bulletins), `${method} ${target}`).toMatch(/kept by the hub operator/);
    }
    const outboxDb = `/clinic-${'a'.repeat(32)}-outbox`;
    expect(asked('POST', `${outboxDb}/_changes`, outbox)).toMatch(/sent to the hub only/);
    // RxDB's push reads the hub's version of what it sends, and writes.
    expect(asked('POST', `${outboxDb}/_all_docs`, outbox)).toBeUndefined();
    expect(asked('POST', `${outboxDb}/_bulk_docs`, outbox)).toBeUndefined();
    // This version's collections that workstations write: every operation the allow-list routes is open to them.
    for (const collection of replicatedCollections.filter((declared) => declared.writtenBy === 'workstations')) {
      for (const [method, target] of [['GET', '/d/_changes'], ['POST', '/d/_bulk_docs'], ['PUT', '/d/x'], ['PUT', '/d/_local/c']] as const) {
        const route = parseRoute(method, target.replace('/d', `/clinic-${'a'.repeat(32)}-${collection.name}`));
        expect(route.kind === 'engine' && collectionRefusal(collection, route.operation, method)).toBeUndefined();
      }
    }
  });
});
