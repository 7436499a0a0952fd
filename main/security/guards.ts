import type { Session, WebContents } from 'electron';
import { isAppUrl } from './app-origin';
import { securityHeaders } from './csp';

/** The parts of Electron's WebContents the guards use (tests pass a fake). */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;
/** The parts of Electron's Session the guards use (tests pass a fake). */
export type GuardedSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest' | 'onHeadersReceived'>;
};

/** Devtools is the only scheme besides the app's own that a window may load. */
const allowedRequest = (url: string): boolean => isAppUrl(url) || url.startsWith('devtools://');

/**
 * Per-window rules: no navigation away from the app, no new windows, no
 * <webview>. Device access is done by the main process, never by web APIs.
 */
export function guardWebContents(contents: GuardedContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * Per-session rules: every permission request and check is denied, no remote
 * content is fetched, and every response carries the CSP and hardening headers.
 */
export function guardSession(session: GuardedSession, csp: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !allowedRequest(details.url) }));
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, ...toHeaderLists(securityHeaders(csp)) } }),
  );
}

const toHeaderLists = (headers: Record<string, string>): Record<string, string[]> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
