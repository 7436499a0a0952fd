import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { facilityCapabilities } from '../../../app/facilities/capabilities';
import { availableCapabilities, type DirectoryEntry } from '../../../app/facilities/directory-entry';
import { facilitySearchBundle } from '../../../app/facilities/facility-fhir';
import { metresBetween } from '../../../app/routing/geo';
import type { RoadRouter } from '../../../app/routing/road-router';
import { authenticateToken, type TokenKind } from '../bearer-tokens';

/**
 * `GET /api/v1/facilities?near=<lat>,<lon>&capability=<c>&limit=<n>` for
 * other systems (issue 16): a FHIR searchset of the directory's Locations
 * nearest the point, by road where the hub has its region's graph (distance
 * along the fastest-by-distance route), else, and for facilities the roads do
 * not reach, by straight line after them. Callers sign in with an API token
 * from the hub's operator (`npm run hub -- admin api-client --name …`).
 */

export const apiClientTokens: TokenKind = { prefix: 'apic', folder: 'api', file: 'clients.json' };

export interface FacilitySearch {
  near?: string | undefined;
  capability?: string | undefined;
  limit?: string | undefined;
}

const querySchema = z.object({
  near: z
    .string({ message: 'near is required: near=<latitude>,<longitude>' })
    .regex(/^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$/, 'near must be <latitude>,<longitude> in decimal degrees')
    .transform((text) => text.split(',').map(Number) as [number, number])
    .refine(([lat, lon]) => Math.abs(lat) <= 90 && Math.abs(lon) <= 180, 'near must be a real latitude and longitude'),
  capability: z.enum(facilityCapabilities, { message: `capability must be one of ${facilityCapabilities.join(', ')}` }).optional(),
  limit: z.coerce.number({ message: 'limit must be a number' }).int('limit must be a whole number').min(1, 'limit must be at least 1').max(100, 'limit may be at most 100').default(10),
});

export interface FacilityApi {
  authenticate(authorization: string | undefined): Promise<string | undefined>;
  search(query: FacilitySearch, res: ServerResponse, base: string): Promise<void>;
}

function sendFhir(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/fhir+json' });
  res.end(JSON.stringify(body));
}

export function createFacilityApi({ dataDir, directory, router }: { dataDir: string; directory: () => readonly DirectoryEntry[]; router: () => Promise<RoadRouter | undefined> }): FacilityApi {
  return {
    authenticate: (authorization) => authenticateToken(dataDir, apiClientTokens, authorization),
    async search(query, res, base) {
      const parsed = querySchema.safeParse(query);
      if (!parsed.success) {
        return sendFhir(res, 400, { resourceType: 'OperationOutcome', issue: parsed.error.issues.map((issue) => ({ severity: 'error', code: 'invalid', diagnostics: issue.message })) });
      }
      const { near, capability, limit } = parsed.data;
      const candidates = directory().filter((entry) => capability === undefined || availableCapabilities(entry).includes(capability));
      const roads = await router();
      const ranked: { entry: DirectoryEntry; distanceM: number; by: 'road' | 'straight-line'; durationS?: number }[] = [];
      if (roads) {
        const { byRoad } = roads.rank(near, candidates, { count: limit, by: 'distance' });
        ranked.push(...byRoad.map(({ facility, distanceM, durationS }) => ({ entry: facility, distanceM, durationS, by: 'road' as const })));
      }
      // Facilities not reached by road (no graph, another piece of the network, off the roads) follow, by straight line.
      const placed = new Set(ranked.map(({ entry }) => entry.id));
      const rest = candidates
        .filter((entry) => !placed.has(entry.id))
        .map((entry) => ({ entry, distanceM: metresBetween(near[0], near[1], entry.lat, entry.lon), by: 'straight-line' as const }))
        .sort((a, b) => a.distanceM - b.distanceM);
      ranked.push(...rest.slice(0, Math.max(0, limit - ranked.length)));
      sendFhir(res, 200, facilitySearchBundle(ranked, base));
    },
  };
}
