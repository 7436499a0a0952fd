/**
 * "3 minutes ago" in the given locale, for how long ago something happened;
 * undefined under a minute, where screens say "just now" in their own words
 * (Intl's "now" reads oddly after a verb such as "Synced").
 */
export function relativeTime(thenMs: number, nowMs: number, locale: string): string | undefined {
  const minutes = Math.floor(Math.max(0, nowMs - thenMs) / 60_000);
  if (minutes < 1) return undefined;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'always', style: 'long' });
  if (minutes < 60) return format.format(-minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return format.format(-hours, 'hour');
  return format.format(-Math.floor(hours / 24), 'day');
}
