/**
 * Which web origins may call the hub from a browser page (the renderer in
 * browser mode, or `app://clinic` in Electron). None by default: a hub with no
 * browser clients needs no CORS at all, and pouchdb-server's habit of
 * reflecting every origin is exactly what this replaces.
 */

/** `scheme://host[:port]`, as browsers send it in the Origin header; no path, no wildcard. */
const originPattern = /^[a-z][a-z0-9+.-]*:\/\/[a-z0-9.-]+(?::\d{1,5})?$/;

export function parseAllowedOrigin(text: string): string {
  const origin = text.trim().toLowerCase();
  if (!originPattern.test(origin)) {
    throw new Error(`"${text}" is not a web origin: give scheme://host[:port], e.g. http://127.0.0.1:8080 or app://clinic (no path, no wildcard).`);
  }
  return origin;
}

export const corsAllowedMethods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] as const;
/** What the replication clients send (Basic auth, JSON); nothing else is needed. */
export const corsAllowedHeaders = ['authorization', 'content-type', 'accept'] as const;
export const corsMaxAgeSeconds = 600;

export type CorsDecision =
  | { kind: 'no-origin' } // not a cross-origin browser request (Node clients, curl, same-origin)
  | { kind: 'allowed'; origin: string }
  | { kind: 'refused' };

export function decideOrigin(originHeader: string | undefined, allowed: ReadonlySet<string>): CorsDecision {
  if (originHeader === undefined) return { kind: 'no-origin' };
  // Browsers send exactly the serialized origin; compare it exactly ("null", paths and case tricks never match).
  return allowed.has(originHeader) ? { kind: 'allowed', origin: originHeader } : { kind: 'refused' };
}

/** Headers for an actual (non-preflight) response to an allowed origin. */
export function corsResponseHeaders(origin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin,
    // PouchDB's HTTP adapter always fetches with credentials: 'include'; harmless
    // here because the hub sets no cookies and answers only listed origins.
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': 'ETag',
  };
}

/**
 * A preflight's answer, or undefined when the requested method or headers are
 * not ones the hub allows (the caller then refuses the preflight).
 */
export function preflightHeaders(origin: string, requestMethod: string, requestHeaders: string | undefined): Record<string, string> | undefined {
  if (!(corsAllowedMethods as readonly string[]).includes(requestMethod)) return undefined;
  const asked = (requestHeaders ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  if (asked.some((h) => !(corsAllowedHeaders as readonly string[]).includes(h))) return undefined;
  return {
    ...corsResponseHeaders(origin),
    'Access-Control-Allow-Methods': corsAllowedMethods.join(', '),
    'Access-Control-Allow-Headers': corsAllowedHeaders.join(', '),
    'Access-Control-Max-Age': String(corsMaxAgeSeconds),
  };
}
