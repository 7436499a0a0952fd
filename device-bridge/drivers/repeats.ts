import type { DecodedItem } from './decoder';

/**
 * Live devices say everything again and again: an oximeter sends its SpO2 and
 * pulse 60 times a second, a scale its weight several times a second. What a
 * nurse needs is one reading per measurement, so a live device's stream passes
 * on only what changed:
 *
 * - a reading when its value differs from the last one of its kind, so the
 *   oximeter gives one reading per change of value and the scale one per
 *   stable weight;
 * - a status (finger out, searching, in motion, zero) when the state changes.
 *   Any status also ends the run of readings: the same weight after the scale
 *   went through motion is a new weighing, the same SpO2 after the finger came
 *   back a new measurement;
 * - an error once until something else is measured (an SpO2 of 110 is
 *   reported once, not 60 times a second), and garbled bytes always.
 *
 * The state spans reads, so it lives here rather than in the pure decoders;
 * and it depends only on the order of items, never on how the bytes were
 * split into reads, so a stream yields the same readings in any chunking.
 */
export function createRepeatFilter(): (items: DecodedItem[]) => DecodedItem[] {
  const lastReading = new Map<string, string>();
  const errorsThisRun = new Set<string>();
  let lastStatus: string | undefined;

  const passes = (item: DecodedItem): boolean => {
    switch (item.type) {
      case 'waveform':
        return true;
      case 'reading': {
        const { kind, value, unit, comparator, time } = item.reading;
        const said = JSON.stringify([value, unit, comparator, time]);
        lastStatus = undefined;
        if (lastReading.get(kind) === said) return false;
        lastReading.set(kind, said);
        // A new value was measured: a bad value coming back after it is news again.
        errorsThisRun.clear();
        return true;
      }
      case 'status': {
        const said = JSON.stringify([item.status.status, item.status.detail]);
        lastReading.clear();
        errorsThisRun.clear();
        if (lastStatus === said) return false;
        lastStatus = said;
        return true;
      }
      case 'error': {
        if (item.error.code === 'garbled') return true;
        const said = `${item.error.code} ${item.error.reason}`;
        if (errorsThisRun.has(said)) return false;
        errorsThisRun.add(said);
        return true;
      }
    }
  };
  return (items) => items.filter(passes);
}
