import { describe, expect, it } from 'vitest';
import { relativeTime } from './relative-time';

const now = Date.parse('2025-03-10T12:00:00Z');
const ago = (ms: number) => now - ms;

describe('relativeTime', () => {
  it('says nothing under a minute, so the screen can say "just now"', () => {
    expect(relativeTime(ago(59_000), now, 'en')).toBeUndefined();
    // A clock set back a little must not read as the future.
    expect(relativeTime(now + 5000, now, 'en')).toBeUndefined();
  });

  it('counts minutes, then hours, then days, in the current language', () => {
    expect(relativeTime(ago(3 * 60_000), now, 'en')).toBe('3 minutes ago');
    expect(relativeTime(ago(1 * 60_000), now, 'en')).toBe('1 minute ago');
    expect(relativeTime(ago(5 * 3_600_000 + 59 * 60_000), now, 'en')).toBe('5 hours ago');
    expect(relativeTime(ago(49 * 3_600_000), now, 'en')).toBe('2 days ago');
    expect(relativeTime(ago(3 * 60_000), now, 'fr')).toBe('il y a 3 minutes');
  });
});
