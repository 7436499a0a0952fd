import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { notWrittenBy } from '../client/hub-fetch';
import { allDocsSchema, bulkDocsSchema, bulkGetSchema, changesSchema, documentPutSchema, enrollRequestSchema, issueCodeRequestSchema, localDocumentPutSchema, revsDiffSchema, touchesReservedFields } from './requests';

const rev = '1-0123456789abcdef0123456789abcdef';
const reservedIssue = (result: z.ZodSafeParseResult<unknown>) => !result.success && touchesReservedFields(result.error.issues);

describe('replication bodies', () => {
  it('accepts what RxDB and PouchDB send', () => {
    expect(bulkDocsSchema.safeParse({ docs: [{ _id: 'obs-1', type: 'observation', sealed: 'x', _deleted: false, _rev: rev }] }).success).toBe(true);
    expect(
      bulkDocsSchema.safeParse({ new_edits: false, docs: [{ _id: 'obs-1', _rev: rev, _revisions: { start: 1, ids: ['0123456789abcdef0123456789abcdef'] }, sealed: 'x' }] }).success,
    ).toBe(true);
    expect(allDocsSchema.safeParse({ keys: ['obs-1'], include_docs: true, deleted: 'ok' }).success).toBe(true);
    expect(bulkGetSchema.safeParse({ docs: [{ id: 'obs-1', rev }] }).success).toBe(true);
    expect(revsDiffSchema.safeParse({ 'obs-1': [rev] }).success).toBe(true);
    expect(localDocumentPutSchema('abc').safeParse({ _id: '_local/abc', session_id: 's', history: [], last_seq: 3, version: 1 }).success).toBe(true);
  });

  it('marks design documents, attachments and reserved fields as such (403, not 400)', () => {
    expect(reservedIssue(bulkDocsSchema.safeParse({ docs: [{ _id: '_design/x' }] }))).toBe(true);
    expect(reservedIssue(bulkDocsSchema.safeParse({ docs: [{ _id: '_local/x' }] }))).toBe(true);
    expect(reservedIssue(bulkDocsSchema.safeParse({ docs: [{ _id: 'x', _attachments: {} }] }))).toBe(true);
    expect(reservedIssue(bulkDocsSchema.safeParse({ docs: [{ _id: 'x', _conflicts: [] }] }))).toBe(true);
    expect(reservedIssue(documentPutSchema('x').safeParse({ _attachments: {} }))).toBe(true);
    expect(reservedIssue(revsDiffSchema.safeParse({ '_design/x': [rev] }))).toBe(true);
    expect(reservedIssue(bulkGetSchema.safeParse({ docs: [{ id: '_design/x' }] }))).toBe(true);
  });

  it('refuses other shapes', () => {
    expect(bulkDocsSchema.safeParse([{ _id: 'x' }]).success).toBe(false);
    expect(bulkDocsSchema.safeParse({ docs: [{ _id: 'x' }], all_or_nothing: true }).success).toBe(false);
    expect(bulkDocsSchema.safeParse({ docs: [{ _id: 'x', _rev: 'not-a-rev' }] }).success).toBe(false);
    expect(documentPutSchema('x').safeParse({ _id: 'y' }).success).toBe(false);
    expect(allDocsSchema.safeParse({ keys: ['a'], attachments: true }).success).toBe(false);
    expect(bulkDocsSchema.safeParse({ docs: Array.from({ length: 10_001 }, (_, i) => ({ _id: `d${i}` })) }).success).toBe(false);
  });
});

describe('the hub’s own bodies', () => {
  const commitment = 'A'.repeat(43);
  const proof = { commitment, hubPart: '0123456789' };

  it('takes a code proof (the commitment and the hub’s part), never a code', () => {
    expect(enrollRequestSchema.safeParse({ codeProof: proof, workstationName: 'Front desk' }).success).toBe(true);
    expect(enrollRequestSchema.safeParse({ code: 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF', workstationName: 'Front desk' }).success).toBe(false);
    expect(enrollRequestSchema.safeParse({ codeProof: proof, workstationName: 'bell\u0007' }).success).toBe(false);
    expect(enrollRequestSchema.safeParse({ codeProof: commitment, workstationName: 'Front desk' }).success).toBe(false); // the first format
    expect(enrollRequestSchema.safeParse({ codeProof: { ...proof, hubPart: 'ILOU012345' }, workstationName: 'Front desk' }).success).toBe(false);
  });

  it('takes a commitment to deposit, never a hub part the workstation chose, and bounds code lifetimes and wrapped keys', () => {
    expect(issueCodeRequestSchema.parse({ codeCommitment: commitment, wrappedKey: 'v1.a.b.c' }).expiresInHours).toBe(24);
    expect(issueCodeRequestSchema.safeParse({ codeCommitment: commitment, hubPart: '0123456789', wrappedKey: 'v1.a.b.c' }).success).toBe(false);
    expect(issueCodeRequestSchema.safeParse({ codeProof: commitment, wrappedKey: 'v1.a.b.c' }).success).toBe(false);
    expect(issueCodeRequestSchema.safeParse({ codeCommitment: commitment, wrappedKey: 'v1.a.b.c', expiresInHours: 24 * 30 }).success).toBe(false);
    expect(issueCodeRequestSchema.safeParse({ codeCommitment: commitment, wrappedKey: 'x'.repeat(5000) }).success).toBe(false);
    expect(issueCodeRequestSchema.safeParse({ codeCommitment: commitment, wrappedKey: '<script>' }).success).toBe(false);
  });
});

describe('the _changes selector', () => {
  it('takes exactly the clock-node filter the sync client sends, and nothing else', () => {
    for (const node of ['ws-0123456789abcdef0123456789abcdef', 'local_setup-1']) {
      expect(changesSchema.safeParse({ selector: notWrittenBy(node) }).success).toBe(true);
    }
    for (const selector of [
      { hlc: { $regex: '^(a+)+$' } },
      { $nor: [{ hlc: { $regex: '^(a+)+$' } }] },
      { $nor: [{ name: { $regex: '^\\d{15}-\\d{5}-ws-1$' } }] },
      { $nor: [{ hlc: { $regex: '^\\d{15}-\\d{5}-ws-1$' } }, { hlc: { $gt: 'a' } }] },
      { $nor: [{ hlc: { $regex: '^\\d{15}-\\d{5}-(ws+)+$' } }] },
      { type: 'patient' },
    ]) {
      expect(changesSchema.safeParse({ selector }).success, JSON.stringify(selector)).toBe(false);
    }
  });
});
