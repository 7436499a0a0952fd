import { describe, expect, it } from 'vitest';
import { formatDate, formatDayMonth, formatNumber, formatTime } from './format';

// Local time, so the expectations hold in any time zone the tests run in.
const at = new Date(2026, 11, 5, 14, 7).getTime();

describe('clinical formatting', () => {
  it('writes the date in the clinic’s order, day first unless chosen otherwise', () => {
    expect(formatDate(at, { locale: 'en', dateOrder: 'day-first' })).toBe('05/12/2026');
    expect(formatDate(at, { locale: 'en', dateOrder: 'month-first' })).toBe('12/05/2026');
    expect(formatDate(at, { locale: 'fr', dateOrder: 'year-first' })).toBe('2026-12-05');
    expect(formatDayMonth(at, { locale: 'fr', dateOrder: 'day-first' })).toBe('05/12');
  });

  it('writes times and numbers as the language does', () => {
    expect(formatTime(at, { locale: 'fr', dateOrder: 'day-first' })).toBe('14:07');
    expect(formatTime(at, { locale: 'en', dateOrder: 'day-first' })).toMatch(/^2:07\sPM$/);
    expect(formatNumber(37.5, 1, { locale: 'fr' })).toBe('37,5');
    expect(formatNumber(37.5, 1, { locale: 'en' })).toBe('37.5');
    expect(formatNumber(1200, 0, { locale: 'fr' })).toBe('1200');
  });
});
