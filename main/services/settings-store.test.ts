import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../app/settings/settings';
import { testWorkstationOptions } from '../test-support';
import { silentLogger } from '../../app/log/logger';
import { createSettingsStore } from './settings-store';

async function dir() {
  return (await testWorkstationOptions()).dataDir;
}

describe('settings store', () => {
  it('starts from defaults and keeps a change across restarts', async () => {
    const d = await dir();
    const path = join(d, 'settings.json');
    expect(await createSettingsStore(path, silentLogger).get()).toEqual(defaultSettings);
    await createSettingsStore(path, silentLogger).update({ locale: 'fr' });
    expect(await createSettingsStore(path, silentLogger).get()).toEqual({ ...defaultSettings, locale: 'fr' });
  });

  it('reads a file from before the idle lock became a clinic setting, keeping its language', async () => {
    const d = await dir();
    const path = join(d, 'settings.json');
    await writeFile(path, '{"locale": "fr", "idleLockMinutes": 12}');
    expect(await createSettingsStore(path, silentLogger).get()).toEqual({ locale: 'fr' });
    expect((await readdir(d)).filter((name) => name.includes('unreadable'))).toEqual([]);
  });

  it('moves an unreadable file aside instead of deleting it, then uses defaults', async () => {
    const d = await dir();
    const path = join(d, 'settings.json');
    await writeFile(path, '{"locale": "fr", "idleLock');
    const warnings: string[] = [];
    const store = createSettingsStore(path, { info() {}, error() {}, warn: (event) => warnings.push(event) });
    expect(await store.get()).toEqual(defaultSettings);
    const kept = (await readdir(d)).find((name) => name.startsWith('settings.json.unreadable-'));
    expect(kept).toBeDefined();
    expect(await readFile(join(d, kept ?? ''), 'utf8')).toBe('{"locale": "fr", "idleLock');
    expect(warnings).toEqual(['settings_unreadable_moved_aside']);
  });

  it('applies concurrent updates one after another, the later one last', async () => {
    const path = join(await dir(), 'settings.json');
    const store = createSettingsStore(path, silentLogger);
    await Promise.all([store.update({ locale: 'fr' }), store.update({ locale: 'en' })]);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ locale: 'en' });
    expect((await readdir(join(path, '..'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
