/**
 * In Electron the renderer is served from a privileged custom scheme rather
 * than file://, so it has a real origin that CSP and sender checks can name.
 */
export const appScheme = 'app';
export const appHost = 'clinic';
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;

/** True only for URLs of the app's own origin. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${appScheme}:` && parsed.host === appHost;
  } catch {
    return false;
  }
}
