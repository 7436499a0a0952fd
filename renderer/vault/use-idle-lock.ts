import { useEffect } from 'react';

const activity = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/** Calls `onIdle` after `minutes` without keyboard, mouse or touch input. */
export function useIdleLock(minutes: number | undefined, enabled: boolean, onIdle: () => void): void {
  useEffect(() => {
    if (!enabled || minutes === undefined) return;
    let timer = setTimeout(onIdle, minutes * 60_000);
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(onIdle, minutes * 60_000);
    };
    for (const event of activity) window.addEventListener(event, reset, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const event of activity) window.removeEventListener(event, reset);
    };
  }, [minutes, enabled, onIdle]);
}
