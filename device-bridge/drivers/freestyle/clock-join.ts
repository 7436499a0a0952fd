import type { DecodedItem } from '../decoder';
import { linkOf } from './link';

/** The `detail` value of a link item, when it is a string. */
function detailText(item: DecodedItem, key: string): string | undefined {
  const value = item.type === 'status' ? item.status.detail?.[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Joins the meter's date and time, which come in two replies (`$date?`, then
 * `$time?`), into one `header` status with `meterTime` (`YYYY-MM-DDTHH:MM:00`,
 * the meter's local clock, in the form its results' times take), given right
 * after the time. The pure decoder cannot join them, as it keeps nothing
 * between replies, so this small stage keeps the date for one connection.
 *
 * A date or time the meter could not give (clock not set, refused, garbled)
 * gives no header: the renderer then simply has no clock to warn about.
 * `raw` is the two replies, date then time.
 */
export function createClockJoin(): (items: DecodedItem[]) => DecodedItem[] {
  let date: { value: string | undefined; raw: string } | undefined;
  return (items) =>
    items.flatMap((item) => {
      const link = linkOf(item);
      if (link === 'date' && item.type === 'status') {
        date = { value: detailText(item, 'meterDate'), raw: item.status.raw };
        return [item];
      }
      if (link !== 'time' || item.type !== 'status') return [item];
      const day = date;
      date = undefined;
      const clock = detailText(item, 'meterClock');
      if (day?.value === undefined || clock === undefined) return [item];
      const header: DecodedItem = { type: 'status', status: { status: 'header', detail: { meterTime: `${day.value}T${clock}:00` }, raw: day.raw + item.status.raw } };
      return [item, header];
    });
}
