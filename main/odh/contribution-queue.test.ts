import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../app/contract/errors';
import { silentLogger } from '../../app/log/logger';
import { createContributionQueue, type OdhSend } from './contribution-queue';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'odh-queue-'));
  dirs.push(dir);
  return dir;
};

const bundle = (n: number) => ({ kind: 'submission' as const, bundle: { resourceType: 'Bundle', type: 'collection', n }, summary: { patients: n, resources: n * 3 } });
const withdrawal = { kind: 'withdrawal' as const, patient: `Patient/${'a'.repeat(64)}` };

/** A hub that is down until `up` is set, then answers each item in turn. */
function hub() {
  const seen: unknown[] = [];
  const state = { up: false, refuse: false };
  const send: OdhSend = (item) => {
    if (!state.up) return Promise.reject(new ApiError({ code: 'unavailable', message: 'The hub at http://hub/ cannot be reached.' }));
    seen.push(item);
    return Promise.resolve(state.refuse ? { outcome: 'refused', reason: 'The Open Data Hub refused this bundle: a person’s name (rule names) at Bundle.entry[0].resource.name[0].' } : { outcome: 'delivered', answer: { receipt: `r${seen.length}` } });
  };
  return { send, seen, state };
}

const retry = { firstMs: 10, maxMs: 40 };

describe('the Open Data Hub queue in the main process', () => {
  it('keeps items on disk while the hub cannot be reached, and sends them in order after a restart', async () => {
    const dir = freshDir();
    const down = hub();
    const first = createContributionQueue({ dir, send: down.send, log: silentLogger, retry });
    await first.enqueue([bundle(1), withdrawal, bundle(2)]);
    await first.drain();
    let status = await first.status();
    expect(status).toMatchObject({ waiting: 3, delivered: 0, refused: 0 });
    expect(status.items.at(-1)!.problem).toMatch(/cannot be reached/);
    expect(status.nextAttemptAt).toBeDefined();
    first.close();
    expect(readdirSync(dir)).toHaveLength(3);

    // The power came back: a new process, the same folder, the hub up.
    const up = hub();
    up.state.up = true;
    const second = createContributionQueue({ dir, send: up.send, log: silentLogger, retry });
    await second.drain();
    status = await second.status();
    expect(status).toMatchObject({ waiting: 0, delivered: 3, refused: 0 });
    expect(up.seen.map((item) => (item as { kind: string }).kind)).toEqual(['submission', 'withdrawal', 'submission']);
    expect(status.items.map((item) => item.receipt)).toEqual(['r3', 'r2', 'r1']);
    // A delivered item keeps its receipt, not its data.
    for (const name of readdirSync(dir)) expect(readFileSync(join(dir, name), 'utf8')).not.toMatch(/"payload"/);
    second.close();
  });

  it('tries again by itself, backing off, until the hub answers', async () => {
    const dir = freshDir();
    const link = hub();
    const queue = createContributionQueue({ dir, send: link.send, log: silentLogger, retry });
    await queue.enqueue([bundle(1)]);
    await queue.drain();
    link.state.up = true;
    await expect.poll(async () => (await queue.status()).delivered, { timeout: 2000 }).toBe(1);
    queue.close();
  });

  it('sends what is queued while it is sending, without waiting for a retry', async () => {
    const dir = freshDir();
    const link = hub();
    link.state.up = true;
    const queue = createContributionQueue({ dir, send: link.send, log: silentLogger, retry: { firstMs: 60_000, maxMs: 60_000 } });
    const first = queue.enqueue([bundle(1)]);
    await queue.enqueue([withdrawal]);
    await first;
    await expect.poll(async () => (await queue.status()).delivered, { timeout: 2000 }).toBe(2);
    queue.close();
  });

  it('keeps a refusal with the hub’s reason and does not send it again', async () => {
    const dir = freshDir();
    const link = hub();
    link.state.up = true;
    link.state.refuse = true;
    const queue = createContributionQueue({ dir, send: link.send, log: silentLogger, retry });
    await queue.enqueue([bundle(1)]);
    await queue.drain();
    await queue.drain();
    const status = await queue.status();
    expect(status).toMatchObject({ waiting: 0, refused: 1 });
    expect(status.items[0]!.problem).toMatch(/rule names/);
    expect(link.seen).toHaveLength(1);
    queue.close();
  });
});
