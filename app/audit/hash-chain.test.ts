import type { AuditEvent } from '@medplum/fhirtypes';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAuditEvent, type AuditKind } from './audit-event';
import { canonicalJson } from '../records/canonical-json';
import { GENESIS_HASH, appendEntry, hashEntry, verifyChain, type AuditEntry } from './hash-chain';

const A = 'ws-A';
const B = 'ws-B';
const start = Date.parse('2025-03-04T08:00:00.000Z');
const kinds: AuditKind[] = ['patient.read', 'patient.update', 'patient.create', 'observation.create'];

function eventFor(workstationId: string, n: number): AuditEvent {
  return buildAuditEvent({
    kind: kinds[n % kinds.length] ?? 'patient.read',
    userId: `u-${n % 3}`,
    role: n % 2 === 0 ? 'nurse' : 'clinician',
    workstationId,
    recorded: new Date(start + n * 60_000),
    patientId: `p-${n % 7}`,
  });
}

async function buildChain(workstationId: string, length: number): Promise<AuditEntry[]> {
  const chain: AuditEntry[] = [];
  for (let n = 0; n < length; n++) chain.push(await appendEntry(chain.at(-1), eventFor(workstationId, n), workstationId));
  return chain;
}

/** A's 50 entries and B's 20 interleaved, as a merged store might return them. */
let chainA: AuditEntry[];
let chainB: AuditEntry[];
let mixed: AuditEntry[];

beforeAll(async () => {
  chainA = await buildChain(A, 50);
  chainB = await buildChain(B, 20);
  mixed = [];
  for (let i = 0; i < 50; i++) {
    const a = chainA[i];
    const b = chainB[i];
    if (a) mixed.push(a);
    if (b && i % 2 === 0) mixed.push(b);
  }
  mixed.push(...chainB.filter((_, i) => i % 2 === 1).reverse());
  expect(mixed).toHaveLength(70);
});

/** A fresh deep copy to tamper with; the shared fixtures stay intact. */
const copy = (): AuditEntry[] => structuredClone(mixed);
const entryOf = (entries: AuditEntry[], workstationId: string, seq: number): AuditEntry => {
  const entry = entries.find((e) => e.workstationId === workstationId && e.seq === seq);
  if (!entry) throw new Error(`no entry ${workstationId}#${seq}`);
  return entry;
};
const without = (entries: AuditEntry[], workstationId: string, seqs: number[]) =>
  entries.filter((e) => !(e.workstationId === workstationId && seqs.includes(e.seq)));
const headOf = (chain: AuditEntry[]) => {
  const last = chain.at(-1);
  if (!last) throw new Error('empty chain');
  return { workstationId: last.workstationId, seq: last.seq, hash: last.hash };
};

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    const one = { b: 1, a: { d: [1, { y: 2, x: 'é' }], c: null }, e: true };
    const two = { e: true, a: { c: null, d: [1, { x: 'é', y: 2 }] }, b: 1 };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(canonicalJson(one)).toBe('{"a":{"c":null,"d":[1,{"x":"é","y":2}]},"b":1,"e":true}');
  });

  it('keeps array order, which is meaningful', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('is plain JSON that parses back to the same data', () => {
    const value = { s: 'line\nbreak "quoted" \u2028', n: -0.5e-7, big: 1e21, z: -0, list: [] };
    expect(JSON.parse(canonicalJson(value))).toEqual({ ...value, z: 0 });
    expect(canonicalJson(value)).not.toMatch(/\s(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  });

  it.each(['plain', 'quote " and \\ backslash', 'tab\tnewline\n\u0000\u001f', 'é ü 中文 😀', 'lone \ud800 surrogate', '\u2028\u2029', ''])(
    'quotes %j exactly as JSON.stringify does',
    (text) => {
      expect(canonicalJson({ [text]: text })).toBe(`{${JSON.stringify(text)}:${JSON.stringify(text)}}`);
    },
  );

  it('omits undefined properties, as a JSON round trip through storage would', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { code: 'x' };
    expect(canonicalJson([shared, shared])).toBe('[{"code":"x"},{"code":"x"}]');
  });

  it.each<[string, unknown]>([
    ['NaN', { n: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['undefined inside an array', [1, undefined]],
    ['a hole in an array', [1, , 3]], // eslint-disable-line no-sparse-arrays -- the case under test
    ['undefined at the top', undefined],
    ['a function', { f: () => 1 }],
    ['a bigint', { n: 1n }],
    ['a symbol', { s: Symbol('s') }],
    ['a Date (would become {})', { d: new Date(0) }],
    ['a Map', { m: new Map() }],
  ])('refuses %s instead of silently changing it', (_label, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('refuses a cycle', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  });
});

describe('appendEntry', () => {
  it('starts at seq 1 from the genesis hash, then links each entry to the last', () => {
    expect(chainA[0]).toMatchObject({ seq: 1, workstationId: A, prevHash: GENESIS_HASH });
    expect(chainA[1]?.prevHash).toBe(chainA[0]?.hash);
    expect(chainA.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('hashes canonicalJson({ seq, workstationId, prevHash, event }) with SHA-256, as lowercase hex', async () => {
    const entry = chainB[4];
    if (!entry) throw new Error('fixture');
    const canonical = canonicalJson({ seq: entry.seq, workstationId: entry.workstationId, prevHash: entry.prevHash, event: entry.event });
    expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.hash).toBe(createHash('sha256').update(canonical, 'utf8').digest('hex'));
    expect(await hashEntry(entry.seq, entry.workstationId, entry.prevHash, entry.event)).toBe(entry.hash);
  });

  it('stores a copy, so changing the caller’s event afterwards cannot break the entry', async () => {
    const event = eventFor(A, 1);
    const entry = await appendEntry(undefined, event, A);
    event.outcome = '8';
    expect(entry.event.outcome).toBe('0');
    await expect(verifyChain([entry])).resolves.toMatchObject({ ok: true });
  });

  it('refuses to continue another workstation’s chain', async () => {
    await expect(appendEntry(chainA.at(-1), eventFor(B, 0), B)).rejects.toThrow(/another workstation/);
  });
});

describe('verifyChain', () => {
  it('accepts interleaved chains of two workstations', async () => {
    await expect(verifyChain(mixed)).resolves.toEqual({ ok: true, entries: 70, chains: 2 });
    await expect(verifyChain(mixed, headOf(chainA))).resolves.toEqual({ ok: true, entries: 70, chains: 2 });
    await expect(verifyChain(mixed, headOf(chainB))).resolves.toEqual({ ok: true, entries: 70, chains: 2 });
    await expect(verifyChain([])).resolves.toEqual({ ok: true, entries: 0, chains: 0 });
  });

  const edits: [string, (event: AuditEvent) => void][] = [
    ['the acting user', (event) => void (event.agent[0] && (event.agent[0].who = { reference: 'Practitioner/u-evil' }))],
    ['the agent’s role', (event) => void (event.agent[0] && (event.agent[0].role = [{ text: 'admin' }]))],
    ['the patient reference', (event) => void (event.entity?.[0] && (event.entity[0].what = { reference: 'Patient/p-other' }))],
    ['the outcome', (event) => void (event.outcome = '8')],
    ['the time', (event) => void (event.recorded = '2020-01-01T00:00:00.000Z')],
    ['the action', (event) => void (event.action = 'D')],
    ['the subtype', (event) => void (event.subtype = [{ system: 'urn:clinic-workstation:audit', code: 'user.login' }])],
    ['the observer', (event) => void (event.source.observer = { display: B })],
    ['by adding a field', (event) => void (event.outcomeDesc = 'nothing to see')],
    ['by removing the entity', (event) => void delete event.entity],
  ];

  it.each(edits.flatMap(([label, edit]) => [1, 17, 50].map((seq) => [label, seq, edit] as const)))(
    'reports editing %s of A#%i as edited there',
    async (_label, seq, edit) => {
      const entries = copy();
      edit(entryOf(entries, A, seq).event);
      await expect(verifyChain(entries)).resolves.toEqual({ ok: false, workstationId: A, seq, problem: 'edited' });
    },
  );

  it('reports editing the entry’s own fields as edited', async () => {
    const entries = copy();
    entryOf(entries, B, 9).hash = 'f'.repeat(64);
    await expect(verifyChain(entries)).resolves.toEqual({ ok: false, workstationId: B, seq: 9, problem: 'edited' });
    const relinked = copy();
    entryOf(relinked, B, 9).prevHash = GENESIS_HASH;
    await expect(verifyChain(relinked)).resolves.toEqual({ ok: false, workstationId: B, seq: 9, problem: 'edited' });
  });

  it('reports a removed middle entry as missing at its seq', async () => {
    await expect(verifyChain(without(copy(), A, [25]))).resolves.toEqual({ ok: false, workstationId: A, seq: 25, problem: 'missing' });
    await expect(verifyChain(without(copy(), B, [1]))).resolves.toEqual({ ok: false, workstationId: B, seq: 1, problem: 'missing' });
  });

  it('reports a cut-off tail as truncated, given the head', async () => {
    const head = headOf(chainA);
    const cut = without(copy(), A, [48, 49, 50]);
    // Without a head a shortened chain is indistinguishable from a younger one...
    await expect(verifyChain(cut)).resolves.toMatchObject({ ok: true });
    // ...which is why the head is kept elsewhere.
    await expect(verifyChain(cut, head)).resolves.toEqual({ ok: false, workstationId: A, seq: 48, problem: 'truncated' });
    await expect(verifyChain(without(copy(), B, chainB.map((e) => e.seq)), headOf(chainB))).resolves.toEqual({
      ok: false,
      workstationId: B,
      seq: 1,
      problem: 'truncated',
    });
  });

  it('reports a tail cut and re-forged with valid hashes as edited at the head', async () => {
    const head = headOf(chainA);
    let forged = chainA.slice(0, 45);
    for (let n = 45; n < 50; n++) forged = [...forged, await appendEntry(forged.at(-1), eventFor(A, 1000 + n), A)];
    await expect(verifyChain(forged)).resolves.toMatchObject({ ok: true });
    await expect(verifyChain(forged, head)).resolves.toEqual({ ok: false, workstationId: A, seq: 50, problem: 'edited' });
    // Entries appended past the head are not vouched for either.
    const extended = [...chainA, await appendEntry(chainA.at(-1), eventFor(A, 2000), A)];
    await expect(verifyChain(extended, head)).resolves.toEqual({ ok: false, workstationId: A, seq: 51, problem: 'edited' });
  });

  it('detects two entries swapping seq numbers', async () => {
    const entries = copy();
    const tenth = entryOf(entries, A, 10);
    const eleventh = entryOf(entries, A, 11);
    [tenth.seq, eleventh.seq] = [eleventh.seq, tenth.seq];
    await expect(verifyChain(entries)).resolves.toEqual({ ok: false, workstationId: A, seq: 10, problem: 'edited' });
  });

  it('detects a forged entry whose own hash was recomputed: the next link breaks', async () => {
    const entries = copy();
    const victim = entryOf(entries, A, 30);
    victim.event.outcome = '8';
    victim.hash = await hashEntry(victim.seq, victim.workstationId, victim.prevHash, victim.event);
    await expect(verifyChain(entries)).resolves.toEqual({ ok: false, workstationId: A, seq: 31, problem: 'broken-link' });
  });

  it('reports a second entry with the same seq as duplicate', async () => {
    const entries = copy();
    entries.push(structuredClone(entryOf(entries, B, 5)));
    await expect(verifyChain(entries)).resolves.toEqual({ ok: false, workstationId: B, seq: 5, problem: 'duplicate' });
  });

  it('keeps chains apart: an entry moved to another workstation breaks both, A reported first', async () => {
    const entries = copy();
    entryOf(entries, B, 7).workstationId = A;
    await expect(verifyChain(entries)).resolves.toEqual({ ok: false, workstationId: A, seq: 7, problem: 'duplicate' });
  });

  it('reports the first problem: lowest seq within a chain, chains in id order', async () => {
    const entries = copy();
    entryOf(entries, B, 2).event.outcome = '4';
    entryOf(entries, A, 40).event.outcome = '4';
    entryOf(entries, A, 12).event.outcome = '4';
    await expect(verifyChain(entries)).resolves.toEqual({ ok: false, workstationId: A, seq: 12, problem: 'edited' });
  });

  it('treats content that cannot be serialised (a corrupted record) as an edit, without throwing', async () => {
    const entries = copy();
    const victim = entryOf(entries, A, 3);
    (victim.event as unknown as Record<string, unknown>).recorded = Number.NaN;
    await expect(verifyChain(entries)).resolves.toEqual({ ok: false, workstationId: A, seq: 3, problem: 'edited' });
  });

  it('treats a corrupted seq as an edit', async () => {
    const entries = copy();
    entryOf(entries, B, 1).seq = 0;
    await expect(verifyChain(entries)).resolves.toEqual({ ok: false, workstationId: B, seq: 1, problem: 'edited' });
  });
});
