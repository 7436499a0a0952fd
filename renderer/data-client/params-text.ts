import { giveWay } from '../../app/scheduling/give-way';

/** A list longer than this is written a slice at a time. */
const longList = 1000;
const slice = 500;

/**
 * A call's params as the JSON text that crosses to the worker (one string is
 * copied across at once, where a structured clone of 10,000 readings walks
 * every object on this thread). Small params are written at once; a long
 * list (a reading run's 10,000 readings, confirmed in one go) is written 500
 * items at a time, giving way between slices, so writing it is not one long
 * task the screens would feel. Either way the text is `JSON.stringify(params)`.
 */
export function paramsText(params: unknown): string | Promise<string> {
  if (!isRecord(params) || !Object.values(params).some((value) => Array.isArray(value) && value.length > longList)) return JSON.stringify(params);
  return sliced(params);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value) && !('toJSON' in value);

async function sliced(params: Record<string, unknown>): Promise<string> {
  const members: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (!Array.isArray(value) || value.length <= longList) {
      // JSON.stringify leaves out a member whose value it cannot write (undefined, a function).
      const text = JSON.stringify(value) as string | undefined;
      if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
      continue;
    }
    const items: string[] = [];
    for (let from = 0; from < value.length; from += slice) {
      // An item JSON cannot write becomes null in a list, as JSON.stringify writes it.
      for (const item of value.slice(from, from + slice)) items.push((JSON.stringify(item)) ?? 'null');
      await giveWay();
    }
    members.push(`${JSON.stringify(key)}:[${items.join(',')}]`);
  }
  return `{${members.join(',')}}`;
}
