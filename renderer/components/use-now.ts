import { useEffect, useState } from 'react';

/**
 * The current time, renewed every `everyMs`, for a screen left open: "3
 * minutes ago" keeps counting, and a value ages out of the NEWS2 window (what
 * "the last 24 hours" and "never into the future" are measured from).
 */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
