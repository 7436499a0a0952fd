const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `YYYY-MM-DDTHH:MM:SS` in the meter's own clock, or undefined when the fields
 * are not a real date and time. Results and the clock (DMF) both carry their
 * time as MM/DD/YY and HH:MM:SS.
 */
export function localTime(month: number, day: number, year: number, hour: number, minute: number, second: number): string | undefined {
  const fullYear = 2000 + year; // the meter stores two digits; glucometerutils reads them as 20YY
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day < 1 || day > new Date(Date.UTC(fullYear, month, 0)).getUTCDate()) return undefined;
  return `${fullYear}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
}
