import { z } from 'zod';
import { ApiError } from '../../app/contract/errors';
import type { FhirIssue, TransactionAnswer } from '../../app/contract/fhir-server';
import type { FhirConnection, FhirServerSettings } from './fhir-server-settings';
import { createSmartTokens } from './smart-auth';

/**
 * The one way FHIR traffic leaves the workstation: the server an admin set,
 * with its credentials added here (the screens' Content-Security-Policy is
 * closed to other origins, and the secrets stay in this process). Failures
 * say in plain words what happened; what a server says about a refused
 * resource is passed on for the admin to read, never logged (it may quote
 * patient data back).
 */

export interface FhirClient {
  capabilities(): Promise<{ fhirVersion: string; software?: string }>;
  transaction(bundle: string): Promise<TransactionAnswer>;
}

/** No answer for this long (a rural link included) and the server is taken as unreachable; the push retries later. */
const answerTimeoutMs = 120_000;

const issueSchema = z.object({ severity: z.string().optional(), diagnostics: z.string().optional(), details: z.object({ text: z.string().optional() }).optional(), expression: z.array(z.string()).optional() });
const outcomeSchema = z.object({ resourceType: z.literal('OperationOutcome'), issue: z.array(issueSchema).optional() });
const responseBundleSchema = z.object({ resourceType: z.literal('Bundle'), type: z.literal('transaction-response'), entry: z.array(z.object({ response: z.object({ status: z.string() }) })).optional() });
const capabilitySchema = z.object({ resourceType: z.literal('CapabilityStatement'), fhirVersion: z.string(), software: z.object({ name: z.string().optional(), version: z.string().optional() }).optional() });

const unreachable = (host: string) => new ApiError({ code: 'unavailable', message: `The FHIR server at ${host} cannot be reached. Check the address and the connection; the push tries again by itself.` });

export function createFhirClient(settings: FhirServerSettings, fetchImpl: typeof fetch = fetch): FhirClient {
  const tokens = createSmartTokens(fetchImpl);
  const authorization = async (connection: FhirConnection, fresh: boolean) => (connection.smart ? `Bearer ${await tokens.token(connection.smart, fresh)}` : connection.authorization);
  const send = async (path: string, init: { method: 'GET' | 'POST'; body?: string }) => {
    const connection = await settings.connection();
    if (!connection) throw new ApiError({ code: 'unavailable', message: 'No FHIR server is set. An admin sets one in Settings.' });
    let answer = await sendOnce(connection, path, init, await authorization(connection, false));
    // A SMART token may have been withdrawn before it expired: one fresh token, one more try.
    if (answer.status === 401 && connection.smart) answer = await sendOnce(connection, path, init, await authorization(connection, true));
    if (answer.status === 401 || answer.status === 403) throw new ApiError({ code: 'unavailable', message: `The FHIR server at ${answer.host} refused this workstation's credentials. An admin checks them in Settings.` });
    return answer;
  };
  const sendOnce = async (connection: FhirConnection, path: string, init: { method: 'GET' | 'POST'; body?: string }, signIn: string | undefined) => {
    const url = new URL(path, connection.baseUrl);
    const headers: Record<string, string> = { Accept: 'application/fhir+json', ...(init.body === undefined ? {} : { 'Content-Type': 'application/fhir+json' }), ...(signIn ? { Authorization: signIn } : {}) };
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(url, { method: init.method, headers, ...(init.body === undefined ? {} : { body: init.body }), redirect: 'error', signal: AbortSignal.timeout(answerTimeoutMs) });
      text = await response.text();
    } catch {
      throw unreachable(url.host);
    }
    if (response.status >= 500 || response.status === 429) throw unreachable(url.host);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, body, host: url.host };
  };
  return {
    async capabilities() {
      const { status, body, host } = await send('metadata', { method: 'GET' });
      const parsed = capabilitySchema.safeParse(body);
      if (status !== 200 || !parsed.success) throw new ApiError({ code: 'unavailable', message: `The address ${host} answers, but not as a FHIR server (no CapabilityStatement at metadata). Check the address.` });
      if (!parsed.data.fhirVersion.startsWith('4.0')) throw new ApiError({ code: 'unavailable', message: `The FHIR server at ${host} speaks FHIR ${parsed.data.fhirVersion}; this workstation sends FHIR R4 (4.0.1).` });
      const software = [parsed.data.software?.name, parsed.data.software?.version].filter(Boolean).join(' ');
      return { fhirVersion: parsed.data.fhirVersion, ...(software ? { software } : {}) };
    },
    async transaction(bundle) {
      const { status, body } = await send('', { method: 'POST', body: bundle });
      const stored = responseBundleSchema.safeParse(body);
      if (status >= 200 && status < 300 && stored.success) return { stored: true, entries: (stored.data.entry ?? []).map((entry) => ({ status: entry.response.status.slice(0, 100) })) };
      const outcome = outcomeSchema.safeParse(body);
      const issues: FhirIssue[] = outcome.success ? (outcome.data.issue ?? []).slice(0, 100).map(issueOf) : [{ severity: 'error', text: `The server answered ${status} without saying why.` }];
      return { stored: false, status, issues };
    },
  };
}

function issueOf(issue: z.infer<typeof issueSchema>): FhirIssue {
  const text = (issue.details?.text ?? issue.diagnostics ?? 'The server gave no reason.').slice(0, 2000);
  const expression = issue.expression?.[0]?.slice(0, 500);
  return { severity: (issue.severity ?? 'error').slice(0, 20), text, ...(expression ? { expression } : {}) };
}
