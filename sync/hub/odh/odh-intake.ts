import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { phiRules, scanForPhi } from '../../../app/deid/phi-scan';
import type { Route } from '../../protocol/routes';
import { countDimensions, countObservations, minimumK, type CountDimension } from './odh-counts';
import { authenticateToken } from '../bearer-tokens';
import { odhReaderTokens } from './odh-readers';
import { openOdhStore, OdhSubmissionError, type OdhStore } from './odh-store';

/**
 * The Open Data Hub's intake on the hub. Workstations (their own
 * credentials, checked by the front) send de-identified Bundles; each is
 * scanned again here for PHI (app/deid/phi-scan.ts), whatever the sending
 * workstation did, and refused whole with 422 naming the rule and the path,
 * never the value; what passes goes to the ODH's own store (odh-store.ts).
 * A withdrawal notice removes a patient pseudonym's records. Researchers
 * (reader tokens) read an export manifest, NDJSON per resource type, and
 * counts with small cells suppressed.
 */

export const odhSubmissionSchema = z.record(z.string(), z.unknown());
export const odhWithdrawalSchema = z.object({ patient: z.string().regex(/^Patient\/[0-9a-f]{64}$/) }).strict();

export interface OdhAnswer {
  status: number;
  body?: unknown;
  error?: string;
  reason?: string;
}

export interface OdhIntake {
  submit(clinicId: string, bundle: Record<string, unknown>): Promise<OdhAnswer>;
  withdraw(clinicId: string, notice: { patient: string }): Promise<OdhAnswer>;
  authenticateReader(authorization: string | undefined): Promise<string | undefined>;
  read(route: Extract<Route, { kind: 'odh-read' }>, res: ServerResponse): Promise<void>;
}

const resourceTypes = ['Patient', 'Encounter', 'Observation', 'Condition'] as const;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
}

/** Writes a line and waits while the socket's buffer is full: a large export streams, never held whole. */
async function writeLine(res: ServerResponse, line: string): Promise<void> {
  if (!res.write(line)) await new Promise<void>((resolve) => res.once('drain', resolve));
}

export function createOdhIntake(dataDir: string, options: { now?: () => Date; store?: OdhStore } = {}): OdhIntake {
  const now = options.now ?? (() => new Date());
  const store = options.store ?? openOdhStore(dataDir, now);

  return {
    async submit(clinicId, bundle) {
      if (bundle['resourceType'] !== 'Bundle' || bundle['type'] !== 'collection') return { status: 422, error: 'not_a_collection', reason: 'The Open Data Hub takes a FHIR Bundle of type collection.' };
      const finding = scanForPhi(bundle, now());
      if (finding !== undefined) {
        return { status: 422, error: 'phi_found', reason: `The Open Data Hub refused this bundle: ${phiRules[finding.rule]} (rule ${finding.rule}) at ${finding.path}. Nothing of it was stored.` };
      }
      try {
        return { status: 200, body: await store.submit(clinicId, bundle) };
      } catch (error) {
        if (error instanceof OdhSubmissionError) return { status: 422, error: 'no_patient', reason: `The Open Data Hub refused this bundle: ${error.message}. Nothing of it was stored.` };
        throw error;
      }
    },

    async withdraw(clinicId, notice) {
      const removed = await store.withdraw(clinicId, notice.patient.slice('Patient/'.length));
      return { status: 200, body: { withdrawn: notice.patient, removed, at: now().toISOString() } };
    },

    authenticateReader: (authorization) => authenticateToken(dataDir, odhReaderTokens, authorization),

    async read(route, res) {
      if (route.what === 'manifest') {
        const counts = Object.fromEntries(resourceTypes.map((type) => [type, 0]));
        for await (const resources of store.patients()) for (const resource of resources) counts[String(resource['resourceType'])] = (counts[String(resource['resourceType'])] ?? 0) + 1;
        return json(res, 200, {
          transactionTime: now().toISOString(),
          request: '/_odh/$export',
          requiresAccessToken: true,
          output: resourceTypes.filter((type) => (counts[type] ?? 0) > 0).map((type) => ({ type, url: `/_odh/export/${type}.ndjson`, count: counts[type] })),
          error: [],
        });
      }
      if (route.what === 'file') {
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/fhir+ndjson');
        for await (const resources of store.patients()) {
          for (const resource of resources) if (resource['resourceType'] === route.resourceType) await writeLine(res, `${JSON.stringify(resource)}\n`);
        }
        res.end();
        return;
      }
      const by = (route.by ?? countDimensions.join(',')).split(',').filter((name) => name !== '');
      if (by.length === 0 || by.some((name) => !(countDimensions as readonly string[]).includes(name))) {
        return json(res, 400, { error: 'bad_request', reason: `by takes names from: ${countDimensions.join(', ')}.` });
      }
      const k = route.k === undefined ? minimumK : Number(route.k);
      if (!Number.isInteger(k) || k < minimumK || k > 1_000_000) return json(res, 400, { error: 'bad_request', reason: `k must be a whole number of at least ${minimumK}.` });
      return json(res, 200, await countObservations(store.patients(), by as CountDimension[], k));
    },
  };
}
