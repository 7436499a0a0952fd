import { readFile, rename } from 'node:fs/promises';
import { defaultSettings, settingsSchema, storedSettingsSchema, type Settings, type SettingsPatch } from '../../app/settings/settings';
import type { Logger } from '../../app/log/logger';
import { writeFileAtomic } from './atomic-file';

export interface SettingsStore {
  get(): Promise<Settings>;
  update(patch: SettingsPatch): Promise<Settings>;
}

/**
 * Workstation settings in one JSON file. A file that cannot be read as valid
 * settings is moved aside (kept for support, never deleted) and defaults apply.
 * Updates are queued so two at once cannot interleave.
 */
export function createSettingsStore(path: string, log: Logger): SettingsStore {
  let cached: Settings | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  async function load(): Promise<Settings> {
    if (cached) return cached;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (cached = defaultSettings);
      throw error;
    }
    let parsed: ReturnType<typeof storedSettingsSchema.safeParse> | undefined;
    try {
      parsed = storedSettingsSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    if (parsed?.success) return (cached = parsed.data);
    const aside = `${path}.unreadable-${Date.now()}`;
    await rename(path, aside);
    log.warn('settings_unreadable_moved_aside', { aside });
    return (cached = defaultSettings);
  }

  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    get: () => serial(load),
    update: (patch) =>
      serial(async () => {
        const next = settingsSchema.parse({ ...(await load()), ...patch });
        await writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`);
        cached = next;
        return next;
      }),
  };
}
