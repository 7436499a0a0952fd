import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../app/log/logger';
import { ApiError } from '../../app/contract/errors';
import { odhQueueItemSchema, type OdhQueueItem, type OdhQueueItemInput, type OdhQueueStatus } from '../../app/contract/odh';
import { writeFileAtomic } from '../services/atomic-file';

/**
 * The Open Data Hub queue: de-identified Bundles and withdrawal notices wait
 * here, on disk, while the hub cannot be reached (not in a replicated
 * collection: each needs its own answer from the hub, and a receipt). One
 * file per item (`<dataDir>/odh-queue/<queued>-<id>.json`), written
 * atomically, so a power cut loses none and sends none twice. Items go in
 * the order they were queued; while the hub is not reached the queue tries
 * again after 5 seconds, doubling to 5 minutes. A delivered item keeps its
 * receipt and drops its data; a refused one keeps the hub's reason and is
 * not sent again (the same data would be refused the same way). The last
 * 500 finished items are kept; the audit log keeps every contribution.
 */

/** Finished items (delivered or refused) kept for the page to show; older ones go, so the folder does not grow for ever. */
const keptFinished = 500;

export type OdhSend = (item: { kind: 'submission'; bundle: unknown } | { kind: 'withdrawal'; patient: string }) => Promise<{ outcome: 'delivered'; answer: unknown } | { outcome: 'refused'; reason: string }>;

interface StoredItem {
  meta: OdhQueueItem;
  payload?: OdhQueueItemInput | undefined;
}

export interface ContributionQueueOptions {
  dir: string;
  send: OdhSend;
  log: Logger;
  now?: () => Date;
  retry?: { firstMs: number; maxMs: number };
}

export interface ContributionQueue {
  enqueue(items: readonly OdhQueueItemInput[]): Promise<string[]>;
  status(): Promise<OdhQueueStatus>;
  /** Sends what waits, now (also after a start, for items left by the last run). */
  drain(): Promise<void>;
  close(): void;
}

export function createContributionQueue(options: ContributionQueueOptions): ContributionQueue {
  const now = options.now ?? (() => new Date());
  const retry = options.retry ?? { firstMs: 5_000, maxMs: 5 * 60_000 };
  let waitMs = retry.firstMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let nextAttemptAt: Date | undefined;
  let draining: Promise<void> | undefined;
  /** Items were queued while a drain was under way (it read the folder before them): it goes round once more. */
  let queuedMeanwhile = false;
  let closed = false;

  const fileOf = (meta: OdhQueueItem) => join(options.dir, `${String(Date.parse(meta.queuedAt)).padStart(15, '0')}-${meta.id}.json`);

  async function all(): Promise<{ file: string; item: StoredItem }[]> {
    await mkdir(options.dir, { recursive: true });
    const names = (await readdir(options.dir)).filter((name) => /^\d{15}-odhq-[0-9a-f]{32}\.json$/.test(name)).sort();
    const items: { file: string; item: StoredItem }[] = [];
    for (const name of names) {
      const file = join(options.dir, name);
      try {
        const item = JSON.parse(await readFile(file, 'utf8')) as StoredItem;
        if (odhQueueItemSchema.safeParse(item.meta).success) items.push({ file, item });
        else options.log.error('odh_queue_item_unreadable', { file: name });
      } catch {
        options.log.error('odh_queue_item_unreadable', { file: name });
      }
    }
    return items;
  }

  const save = (item: StoredItem) => writeFileAtomic(fileOf(item.meta), JSON.stringify(item));

  function schedule(): void {
    if (closed || timer !== undefined) return;
    nextAttemptAt = new Date(now().getTime() + waitMs);
    timer = setTimeout(() => {
      timer = undefined;
      nextAttemptAt = undefined;
      void drain();
    }, waitMs);
    timer.unref?.();
    waitMs = Math.min(waitMs * 2, retry.maxMs);
  }

  async function sendWaiting(): Promise<void> {
    for (const { item } of await all()) {
      if (closed || item.meta.state !== 'waiting' || item.payload === undefined) continue;
      const payload = item.payload;
      const at = now().toISOString();
      let result: Awaited<ReturnType<OdhSend>>;
      try {
        result = await options.send(payload.kind === 'submission' ? { kind: 'submission', bundle: payload.bundle } : { kind: 'withdrawal', patient: payload.patient });
      } catch (error) {
        // Not reached (or the hub failing): this and everything after it wait for the next try, in order.
        const problem = error instanceof ApiError ? error.message : 'The Open Data Hub could not be reached.';
        await save({ ...item, meta: { ...item.meta, attempts: item.meta.attempts + 1, lastAttemptAt: at, problem } });
        schedule();
        return;
      }
      waitMs = retry.firstMs;
      if (result.outcome === 'delivered') {
        const answer = result.answer as { receipt?: unknown };
        const rest: OdhQueueItem = { ...item.meta };
        delete rest.problem;
        await save({ meta: { ...rest, state: 'delivered', attempts: item.meta.attempts + 1, lastAttemptAt: at, deliveredAt: at, ...(typeof answer.receipt === 'string' ? { receipt: answer.receipt.slice(0, 100) } : {}) } });
        options.log.info('odh_delivered', { kind: payload.kind });
      } else {
        await save({ meta: { ...item.meta, state: 'refused', attempts: item.meta.attempts + 1, lastAttemptAt: at, problem: result.reason.slice(0, 1000) } });
        options.log.warn('odh_refused', { kind: payload.kind });
      }
    }
  }

  async function sendUntilCaughtUp(): Promise<void> {
    do {
      queuedMeanwhile = false;
      await sendWaiting();
    } while (queuedMeanwhile && !closed && timer === undefined);
    await pruneFinished();
  }

  async function pruneFinished(): Promise<void> {
    const finished = (await all()).filter(({ item }) => item.meta.state !== 'waiting');
    for (const { file } of finished.slice(0, Math.max(0, finished.length - keptFinished))) await unlink(file).catch(() => undefined);
  }

  function drain(): Promise<void> {
    if (draining !== undefined) {
      queuedMeanwhile = true;
      return draining;
    }
    draining = sendUntilCaughtUp().finally(() => {
      draining = undefined;
    });
    return draining;
  }

  return {
    async enqueue(inputs) {
      const ids: string[] = [];
      for (const payload of inputs) {
        const meta: OdhQueueItem = {
          id: `odhq-${randomUUID().replace(/-/g, '')}`,
          kind: payload.kind,
          state: 'waiting',
          queuedAt: now().toISOString(),
          attempts: 0,
          ...(payload.kind === 'submission' ? { patients: payload.summary.patients, resources: payload.summary.resources } : {}),
        };
        await save({ meta, payload });
        ids.push(meta.id);
      }
      // A fresh contribution is tried at once, whatever the back-off had reached.
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      waitMs = retry.firstMs;
      void drain();
      return ids;
    },

    async status() {
      const items = (await all()).map(({ item }) => item.meta);
      const count = (state: OdhQueueItem['state']) => items.filter((item) => item.state === state).length;
      return { waiting: count('waiting'), delivered: count('delivered'), refused: count('refused'), ...(nextAttemptAt !== undefined && count('waiting') > 0 ? { nextAttemptAt: nextAttemptAt.toISOString() } : {}), items: items.reverse().slice(0, 100) };
    },

    drain,

    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

