import type { DateOrder } from '../../app/settings/clinic-settings';
import type { Locale } from '../../app/settings/settings';

/**
 * Dates, times and numbers as the chosen language writes them (Intl), with
 * the date's order set by the clinic: 12/5/2026 is 12 May in most of the
 * world and 5 December in some, so the order is a clinic choice, day first
 * by default, never left to the browser's own locale.
 */
export interface FormatContext {
  locale: Locale;
  dateOrder: DateOrder;
}

function dateParts(at: number): { day: string; month: string; year: string } {
  const date = new Date(at);
  return { day: String(date.getDate()).padStart(2, '0'), month: String(date.getMonth() + 1).padStart(2, '0'), year: String(date.getFullYear()) };
}

/** 05/12/2026 (day first), 12/05/2026 (month first) or 2026-12-05 (year first, ISO 8601). */
export function formatDate(at: number, { dateOrder }: FormatContext): string {
  const { day, month, year } = dateParts(at);
  if (dateOrder === 'year-first') return `${year}-${month}-${day}`;
  return dateOrder === 'month-first' ? `${month}/${day}/${year}` : `${day}/${month}/${year}`;
}

/** Hours and minutes as the language writes them (14:05 in French, 2:05 PM in English). */
export function formatTime(at: number, { locale }: FormatContext): string {
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(at);
}

export function formatDateTime(at: number, context: FormatContext): string {
  return `${formatDate(at, context)} ${formatTime(at, context)}`;
}

/** A day and month only, for a chart's time axis (the year is in the table below it). */
export function formatDayMonth(at: number, { dateOrder }: FormatContext): string {
  const { day, month } = dateParts(at);
  if (dateOrder === 'year-first') return `${month}-${day}`;
  return dateOrder === 'month-first' ? `${month}/${day}` : `${day}/${month}`;
}

/** A measured value with exactly `decimals` decimals, in the language's notation (37.5 / 37,5). */
export function formatNumber(value: number, decimals: number, { locale }: Pick<FormatContext, 'locale'>): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: false }).format(value);
}
