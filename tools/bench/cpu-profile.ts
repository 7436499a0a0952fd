import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CDPSession, Page } from '@playwright/test';

/**
 * Runs `work` with the page's JavaScript profiled into `<dir>/<name>.cpuprofile`
 * when a folder is given, and each dedicated worker the page runs meanwhile
 * into `<dir>/<name>.worker-<n>.cpuprofile`. A worker's profile is taken when
 * `work` is done, so it must still be running then (close it after).
 */
export async function profiled<T>(page: Page, dir: string | undefined, name: string, work: () => Promise<T>): Promise<T> {
  if (dir === undefined) return work();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  const workers = await attachToWorkers(cdp);
  await cdp.send('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await cdp.send('Profiler.stop');
    await writeFile(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    const profiles = await workers.stop();
    for (const [n, workerProfile] of profiles.entries()) await writeFile(join(dir, `${name}.worker-${n}.cpuprofile`), JSON.stringify(workerProfile));
    await cdp.detach();
  }
}

type Message = { id?: number; method?: string; params?: unknown; result?: { profile?: unknown } };

/**
 * Playwright's CDP sessions are for pages only; a dedicated worker is reached
 * through its page's session (Target auto-attach, messages wrapped in
 * `Target.sendMessageToTarget`), and its profiler started as it appears.
 */
async function attachToWorkers(cdp: CDPSession): Promise<{ stop(): Promise<unknown[]> }> {
  const sessions: string[] = [];
  const waiting = new Map<string, (message: Message) => void>();
  let nextId = 1;
  const send = (sessionId: string, method: string, params: object = {}): Promise<Message> => {
    const id = nextId++;
    const answered = new Promise<Message>((resolve) => waiting.set(`${sessionId}:${id}`, resolve));
    void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(() => undefined);
    return answered;
  };
  cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
    const parsed = JSON.parse(message) as Message;
    const key = `${sessionId}:${parsed.id}`;
    waiting.get(key)?.(parsed);
    waiting.delete(key);
  });
  cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
    if (targetInfo.type !== 'worker') return;
    sessions.push(sessionId);
    void (async () => {
      await send(sessionId, 'Profiler.enable');
      await send(sessionId, 'Profiler.setSamplingInterval', { interval: 1000 });
      await send(sessionId, 'Profiler.start');
      await send(sessionId, 'Runtime.runIfWaitingForDebugger');
    })();
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  return {
    async stop() {
      const profiles: unknown[] = [];
      for (const sessionId of sessions) {
        const stopped = await Promise.race([send(sessionId, 'Profiler.stop'), new Promise<Message>((resolve) => setTimeout(() => resolve({}), 10_000))]);
        if (stopped.result?.profile) profiles.push(stopped.result.profile);
      }
      return profiles;
    },
  };
}
