import { z } from 'zod';

/** Great-circle distance in metres (haversine, mean Earth radius): exact enough for roads and for ranking by straight line. */
export function metresBetween(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLon = (lon2 - lon1) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export const earthRadiusM = 6_371_008.8;

/** A point as the routes and the command line give it. */
export type LatLon = readonly [lat: number, lon: number];

/** A real latitude and longitude in degrees, [lat, lon]: the one check of a point wherever one arrives (the API, a referral, the command line). */
export const latLonSchema = z.tuple([z.number().min(-90).max(90), z.number().min(-180).max(180)]);

/** Whether a point is a real latitude and longitude. */
export const isLatLon = (point: unknown): point is LatLon => latLonSchema.safeParse(point).success;
