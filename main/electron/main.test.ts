import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { dataPortChannel, ipcChannel } from '../../app/contract/envelope';

// Electron's binary cannot run here, so the composition root is loaded against
// a recording stand-in for the `electron` module: the assertions are about what
// main.ts itself builds and registers, not about the helpers in isolation.
interface Recorded {
  windows: { options: Record<string, unknown>; url?: string }[];
  webContentsCreated: ((event: unknown, contents: unknown) => void)[];
  ipcChannels: string[];
  privileged: unknown[];
  sandboxEnabled: boolean;
  protocolHandlers: string[];
  session: Record<string, unknown>;
  userData: string;
}
const recorded = vi.hoisted(
  (): Recorded => ({
    windows: [],
    webContentsCreated: [],
    ipcChannels: [],
    privileged: [],
    sandboxEnabled: false,
    protocolHandlers: [],
    session: {},
    userData: '',
  }),
);

vi.mock('electron', () => {
  const session = {
    setPermissionRequestHandler: (h: unknown) => (recorded.session.request = h),
    setPermissionCheckHandler: (h: unknown) => (recorded.session.check = h),
    setDevicePermissionHandler: (h: unknown) => (recorded.session.device = h),
    webRequest: {
      onBeforeRequest: (h: unknown) => (recorded.session.beforeRequest = h),
      onHeadersReceived: (h: unknown) => (recorded.session.headers = h),
    },
  };
  class BrowserWindow {
    entry: { options: Record<string, unknown>; url?: string };
    webContents = { send: () => undefined };
    constructor(options: Record<string, unknown>) {
      this.entry = { options };
      recorded.windows.push(this.entry);
    }
    once() {}
    isMinimized() {
      return false;
    }
    loadURL(url: string) {
      this.entry.url = url;
      return Promise.resolve();
    }
  }
  const app = {
    enableSandbox: () => (recorded.sandboxEnabled = true),
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    getPath: () => recorded.userData,
    on: (event: string, listener: (event: unknown, contents: unknown) => void) => {
      if (event === 'web-contents-created') recorded.webContentsCreated.push(listener);
    },
    quit: () => {},
    exit: () => {},
  };
  return {
    app,
    BrowserWindow,
    ipcMain: { handle: (channel: string) => recorded.ipcChannels.push(channel), on: (channel: string) => recorded.ipcChannels.push(channel) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.privileged.push(...schemes),
      handle: (scheme: string) => recorded.protocolHandlers.push(scheme),
    },
    session: { defaultSession: session },
  };
});

describe('Electron composition root', async () => {
  recorded.userData = await mkdtemp(join(tmpdir(), 'clinic-electron-'));
  await import('./main');
  await vi.waitFor(() => expect(recorded.windows[0]?.url).toBeDefined());
  const window = recorded.windows[0]!;
  const prefs = window.options.webPreferences as Record<string, unknown>;

  it('opens one window with the hardened web preferences and the bundled preload', () => {
    expect(recorded.windows).toHaveLength(1);
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(String(prefs.preload)).toMatch(/preload\.cjs$/);
    expect(recorded.sandboxEnabled).toBe(true);
  });

  it('loads the renderer from the app:// origin, not file://', () => {
    expect(window.url).toBe('app://clinic/index.html');
    expect(recorded.protocolHandlers).toEqual(['app']);
    expect(recorded.privileged).toEqual([expect.objectContaining({ scheme: 'app' })]);
  });

  it('guards the default session: permissions denied, remote requests cancelled, CSP added', () => {
    let granted: boolean | undefined;
    (recorded.session.request as (c: unknown, p: string, cb: (g: boolean) => void) => void)({}, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    let cancel: boolean | undefined;
    (recorded.session.beforeRequest as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void)({ url: 'https://example.org/' }, (r) => (cancel = r.cancel));
    expect(cancel).toBe(true);
    expect(recorded.session.headers).toBeTypeOf('function');
  });

  it('guards every web contents created: navigation away and new windows denied', () => {
    expect(recorded.webContentsCreated).toHaveLength(1);
    const listeners = new Map<string, (e: { preventDefault(): void }, url: string) => void>();
    let openHandler: (() => unknown) | undefined;
    const contents = {
      on: (event: string, listener: (e: { preventDefault(): void }, url: string) => void) => listeners.set(event, listener),
      setWindowOpenHandler: (h: () => unknown) => (openHandler = h),
    };
    recorded.webContentsCreated[0]!({}, contents);
    let prevented = false;
    listeners.get('will-navigate')!({ preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
    expect(openHandler?.()).toEqual({ action: 'deny' });
  });

  it('serves the contract on the one IPC channel, and takes the data worker’s ports on their own', () => {
    expect(recorded.ipcChannels).toEqual([ipcChannel, dataPortChannel]);
  });
});
