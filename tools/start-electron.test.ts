import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npm start without an Electron binary', () => {
  it('says in one line that Electron is missing and names the browser-mode command', async () => {
    // A mirror on a closed loopback port and an empty cache make the lazy
    // download fail at once, as it does on machines that cannot reach GitHub.
    const result = spawnSync(process.execPath, ['scripts/start-electron.mjs'], {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: await mkdtemp(join(tmpdir(), 'electron-cache-')) },
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Electron could not be obtained');
    expect(lines[0]).toContain('npm run serve -- --port');
    expect(result.stdout).toBe('');
  });
});
