import { randomBytes } from 'node:crypto';

/**
 * One-time tickets for downloading an export in browser mode: the screens
 * ask for one over the authenticated API (`export.download`) and open
 * `/downloads/<ticket>`, a plain link the browser saves from. A ticket
 * opens one export, once, within two minutes; the launch token never
 * appears in a URL.
 */

const ticketPattern = /^[A-Za-z0-9_-]{43}$/;
const lifetimeMs = 2 * 60_000;

export interface DownloadTickets {
  issue(exportId: string): string;
  /** The export a ticket opens, once; undefined for an unknown, used or expired one. */
  redeem(ticket: string): string | undefined;
}

export function createDownloadTickets(now: () => number = Date.now): DownloadTickets {
  const open = new Map<string, { exportId: string; expiresAt: number }>();
  const forgetExpired = () => {
    for (const [ticket, entry] of open) if (entry.expiresAt <= now()) open.delete(ticket);
  };
  return {
    issue(exportId) {
      forgetExpired();
      const ticket = randomBytes(32).toString('base64url');
      open.set(ticket, { exportId, expiresAt: now() + lifetimeMs });
      return ticket;
    },
    redeem(ticket) {
      forgetExpired();
      if (!ticketPattern.test(ticket)) return undefined;
      const entry = open.get(ticket);
      open.delete(ticket);
      return entry?.exportId;
    },
  };
}
