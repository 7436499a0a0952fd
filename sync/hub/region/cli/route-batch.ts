import { z } from 'zod';
import { facilityCapabilities } from '../../../../app/facilities/capabilities';
import { isLatLon } from '../../../../app/routing/geo';
import type { RoadRouter } from '../../../../app/routing/road-router';

/**
 * One line of `clinic-route batch`: a route between two points, or the
 * facilities nearest a point, answered as one line (issue 16 fixes the
 * forms). `season` (dry|rainy, default dry) and `capability` are our
 * additions; a line that is not a question gets `{"id","error"}` in plain
 * words and the batch goes on.
 */

const point = z.custom<[number, number]>(isLatLon, { message: 'must be [latitude, longitude] in degrees' });
const id = z.union([z.string().max(200), z.number()]);
const common = { id, by: z.enum(['distance', 'time']).default('time'), season: z.enum(['dry', 'rainy']).default('dry') };
const routeQuestion = z.object({ ...common, from: point, to: point }).strict();
const nearestQuestion = z.object({ ...common, from: point, nearest: z.number().int().min(1).max(100), capability: z.enum(facilityCapabilities).optional() }).strict();

export type BatchAnswer = Record<string, unknown>;

export function answerLine(router: RoadRouter, line: string): BatchAnswer {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { id: null, error: 'This line is not JSON.' };
  }
  const given = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  const lineId = typeof given === 'string' || typeof given === 'number' ? given : null;
  const isNearest = typeof value === 'object' && value !== null && 'nearest' in value;
  const parsed = (isNearest ? nearestQuestion : routeQuestion).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { id: lineId, error: `"${issue?.path.join('.') || 'line'}" ${issue?.code === 'unrecognized_keys' ? 'has fields this command does not know' : (issue?.message ?? 'is not valid')}.` };
  }
  if ('nearest' in parsed.data) {
    const { by, season, from, nearest, capability } = parsed.data;
    const ranked = router.nearestFacilities(from, { count: nearest, by, season, ...(capability ? { capability } : {}) });
    return {
      id: parsed.data.id,
      byRoad: ranked.byRoad.map((entry) => ({ facility: entry.facility.id, distance_m: entry.distanceM, duration_s: entry.durationS })),
      byStraightLine: ranked.byStraightLine.map((entry) => ({ facility: entry.facility.id, distance_m: entry.distanceM })),
    };
  }
  const { by, season, from, to } = parsed.data;
  const answer = router.route(from, to, by, season);
  return answer.found ? { id: parsed.data.id, distance_m: answer.distanceM, duration_s: answer.durationS } : { id: parsed.data.id, route: null, reason: answer.reason };
}
