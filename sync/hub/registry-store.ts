import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { emptyRegistry, forgetOldCodes, RegistryError, registrySchema, type Registry } from './registry';
import { readRegistry } from './registry-upgrade';
import { newHubId } from './secrets';

/**
 * The registry file, shared by the running hub and the admin commands.
 *
 * Every change is read-modify-write under an exclusive lock file (created
 * with O_EXCL, so two processes cannot both hold it) and lands by writing a
 * temporary file, fsyncing it, renaming it over the old one and fsyncing the
 * folder: a crash or power cut leaves the old registry or the new one, never
 * half of either. Readers take no lock (a rename is atomic) and re-parse only
 * when the file's identity changes, so the hub sees a revocation made by the
 * admin command on the very next request.
 */
export interface RegistryStore {
  readonly path: string;
  /** The current registry; do not mutate it. */
  read(): Promise<Registry>;
  /**
   * Applies `change` to a fresh copy and writes the result atomically. If
   * `change` throws, nothing is written and the error propagates.
   */
  update<T>(change: (registry: Registry) => T): Promise<T>;
}

const fileName = 'hub-registry.json';
/** A lock older than this was left by a process that died mid-update (updates take milliseconds). */
const staleLockMs = 30_000;
const lockWaitMs = 10_000;

export async function openRegistryStore(dataDir: string, now: () => Date = () => new Date()): Promise<RegistryStore> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, fileName);
  const lockPath = `${path}.lock`;
  let cached: { identity: string; registry: Registry } | undefined;
  // One update at a time inside this process; the lock file orders processes.
  let queue: Promise<unknown> = Promise.resolve();

  async function load(): Promise<Registry | undefined> {
    let identity: string;
    try {
      const info = await stat(path, { bigint: true });
      identity = `${info.ino}:${info.mtimeNs}:${info.size}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (cached?.identity === identity) return cached.registry;
    let registry: Registry;
    try {
      registry = readRegistry(JSON.parse(await readFile(path, 'utf8')), now());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return load(); // replaced between stat and read
      throw new RegistryError('damaged', `The hub registry ${path} is damaged; restore it from a backup.`);
    }
    cached = { identity, registry };
    return registry;
  }

  async function withLock<T>(work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + lockWaitMs;
    for (;;) {
      try {
        const handle = await open(lockPath, 'wx', 0o600);
        await handle.writeFile(JSON.stringify({ pid: process.pid, at: new Date().toISOString() }));
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const info = await stat(lockPath).catch(() => undefined);
        if (info && Date.now() - info.mtimeMs > staleLockMs) {
          await unlink(lockPath).catch(() => undefined);
          continue;
        }
        if (Date.now() > deadline) throw new RegistryError('locked', `The hub registry is locked by another process (${lockPath}); try again.`);
        await delay(10 + Math.random() * 20);
      }
    }
    try {
      return await work();
    } finally {
      await unlink(lockPath).catch(() => undefined);
    }
  }

  async function writeAtomically(registry: Registry): Promise<void> {
    const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(registry, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    const folder = await open(dataDir, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }

  const store: RegistryStore = {
    path,
    async read() {
      return (await load()) ?? emptyRegistry('0'.repeat(32));
    },
    update<T>(change: (registry: Registry) => T): Promise<T> {
      const run = () =>
        withLock(async () => {
          const draft = structuredClone((await load()) ?? emptyRegistry(newHubId()));
          const result = change(draft);
          forgetOldCodes(draft, now());
          // Parse before writing: a rule that produced a bad shape fails here, not at the next start.
          await writeAtomically(registrySchema.parse(draft));
          return result;
        });
      const next = queue.then(run, run);
      queue = next.catch(() => undefined);
      return next;
    },
  };
  return store;
}
