import { describe, expect, it } from 'vitest';
import { isAppUrl } from './app-origin';
import { confinePath } from './confine-path';
import { buildCsp } from './csp';
import { guardSession, guardWebContents, type GuardedContents, type GuardedSession } from './guards';
import { mainWindowOptions } from './window-options';

type Handler = (...args: never[]) => unknown;

/** Records what the guards register, as Electron's objects would hold it. */
function fakeContents() {
  const listeners = new Map<string, Handler>();
  let openHandler: Handler | undefined;
  const contents = {
    on: (event: string, listener: Handler) => {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler: (handler: Handler) => {
      openHandler = handler;
    },
  };
  const emit = (event: string, url?: string) => {
    let prevented = false;
    const listener = listeners.get(event) as ((e: { preventDefault(): void }, url?: string) => void) | undefined;
    if (!listener) throw new Error(`no ${event} guard`);
    listener({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents: contents as unknown as GuardedContents, emit, openWindow: (url: string) => (openHandler as (d: { url: string }) => unknown)({ url }) };
}

function fakeSession() {
  const recorded: Record<string, Handler> = {};
  const session = {
    setPermissionRequestHandler: (h: Handler) => void (recorded.request = h),
    setPermissionCheckHandler: (h: Handler) => void (recorded.check = h),
    setDevicePermissionHandler: (h: Handler) => void (recorded.device = h),
    webRequest: {
      onBeforeRequest: (h: Handler) => void (recorded.beforeRequest = h),
      onHeadersReceived: (h: Handler) => void (recorded.headers = h),
    },
  };
  return { session: session as unknown as GuardedSession, recorded };
}

describe('window options', () => {
  const prefs = mainWindowOptions('/app/preload.cjs').webPreferences ?? {};
  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['webviewTag', false],
  ] as const)('sets %s to %s', (key, value) => {
    expect(prefs[key]).toBe(value);
  });
  it('loads the preload it is given and fits a 1366×768 screen', () => {
    const options = mainWindowOptions('/app/preload.cjs');
    expect(prefs.preload).toBe('/app/preload.cjs');
    expect(options.width).toBeLessThanOrEqual(1366);
    expect(options.height).toBeLessThanOrEqual(768);
  });
});

describe('web contents guards', () => {
  it('denies navigation and redirects away from the app, allows in-app navigation', () => {
    const { contents, emit } = fakeContents();
    guardWebContents(contents);
    expect(emit('will-navigate', 'https://evil.example/')).toBe(true);
    expect(emit('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(emit('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(emit('will-navigate', 'app://clinic/settings')).toBe(false);
  });
  it('denies every new window and every <webview>', () => {
    const { contents, emit, openWindow } = fakeContents();
    guardWebContents(contents);
    expect(openWindow('https://example.org/')).toEqual({ action: 'deny' });
    expect(openWindow('app://clinic/index.html')).toEqual({ action: 'deny' });
    expect(emit('will-attach-webview')).toBe(true);
  });
});

describe('session guards', () => {
  it('denies every permission request and check', () => {
    const { session, recorded } = fakeSession();
    guardSession(session, buildCsp());
    for (const permission of ['media', 'geolocation', 'notifications', 'serial', 'hid', 'clipboard-read']) {
      let granted: boolean | undefined;
      (recorded.request as (c: unknown, p: string, cb: (g: boolean) => void) => void)({}, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
      expect((recorded.check as (c: unknown, p: string) => boolean)({}, permission)).toBe(false);
    }
    expect((recorded.device as () => boolean)()).toBe(false);
  });
  it('cancels any request for remote content', () => {
    const { session, recorded } = fakeSession();
    guardSession(session, buildCsp());
    const cancelled = (url: string) => {
      let result: { cancel?: boolean } = {};
      (recorded.beforeRequest as (d: { url: string }, cb: (r: { cancel?: boolean }) => void) => void)({ url }, (r) => (result = r));
      return result.cancel;
    };
    expect(cancelled('https://cdn.example/lib.js')).toBe(true);
    expect(cancelled('http://127.0.0.1:5984/')).toBe(true);
    expect(cancelled('app://clinic/assets/index.js')).toBe(false);
  });
  it('adds the strict CSP to every response', () => {
    const { session, recorded } = fakeSession();
    const csp = buildCsp();
    guardSession(session, csp);
    let headers: Record<string, string[]> = {};
    (recorded.headers as (d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void)(
      { responseHeaders: { 'Content-Type': ['text/html'] } },
      (r) => (headers = r.responseHeaders),
    );
    expect(headers['Content-Security-Policy']).toEqual([csp]);
    expect(headers['Content-Type']).toEqual(['text/html']);
  });
});

describe('CSP', () => {
  const directives = Object.fromEntries(
    buildCsp(['ws://127.0.0.1:8080'])
      .split('; ')
      .map((d) => {
        const [name = '', ...values] = d.split(' ');
        return [name, values];
      }),
  );
  it('runs only the app’s own scripts: no inline script, no eval', () => {
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['default-src']).toEqual(["'self'"]);
  });
  it('forbids plugins, framing, base rewriting and form posts', () => {
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(directives['form-action']).toEqual(["'none'"]);
  });
  it('connects only to itself and the named sources', () => {
    expect(directives['connect-src']).toEqual(["'self'", 'ws://127.0.0.1:8080']);
  });
});

describe('app origin and file confinement', () => {
  it('recognises only the app origin', () => {
    expect(isAppUrl('app://clinic/index.html')).toBe(true);
    expect(isAppUrl('app://clinic.evil/index.html')).toBe(false);
    expect(isAppUrl('https://clinic/')).toBe(false);
    expect(isAppUrl('')).toBe(false);
  });
  it('keeps served files inside the renderer folder', () => {
    expect(confinePath('/srv/r', '/assets/a.js')).toBe('/srv/r/assets/a.js');
    expect(confinePath('/srv/r', '/../../etc/passwd')).toBeUndefined();
    expect(confinePath('/srv/r', '/%2e%2e/%2e%2e/etc/passwd')).toBeUndefined();
    expect(confinePath('/srv/r', '/%E0%A4%A')).toBeUndefined();
    expect(confinePath('/srv/r', '/a%00.js')).toBeUndefined();
  });
});
