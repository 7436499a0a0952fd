import { sha256Hex } from '../crypto/digest';

/**
 * FHIR resource ids for exported records. Store ids are mostly valid FHIR ids
 * already (`pat-<32 hex>` from crypto.randomUUID), and then they are used as
 * they are, so a re-export PUTs onto the same resource. Where a store id is
 * not allowed (patient ids may be 100 characters, opaque ids may hold `_` and
 * `:`) or a resource has no store record at all (a blood pressure panel, a
 * NEWS2 score, a device), the id is derived from what identifies it, so it is
 * the same on every export and on every workstation.
 */

/** FHIR R4's id rule. */
export const fhirIdPattern = /^[A-Za-z0-9\-.]{1,64}$/;

export function isFhirId(text: string): boolean {
  return fhirIdPattern.test(text);
}

/** `text` itself; throws when FHIR does not allow it as an id (`what` names the field, never the value). */
export function requireFhirId(text: string, what: string): string {
  if (!isFhirId(text)) throw new Error(`${what} is not a valid FHIR id`);
  return text;
}

/**
 * `<prefix>-<32 hex>`: the first 128 bits of SHA-256 over the parts, with
 * the version and variant bits of an RFC 9562 version 8 (name-based, custom
 * hash) UUID, so the hex is also a well-formed UUID and the resource gets a
 * `urn:uuid` fullUrl like any other. The prefix is hashed too: the same parts
 * under two prefixes give two ids.
 */
export async function derivedId(prefix: string, ...parts: readonly string[]): Promise<string> {
  if (!/^[a-z][a-z0-9]{0,15}$/.test(prefix)) throw new Error('derived id prefix must be a short lowercase word');
  // JSON keeps ["a b", "c"] and ["a", "b c"] apart, which joining with a separator would not.
  const hex = (await sha256Hex(JSON.stringify([prefix, ...parts]))).slice(0, 32);
  const version = `8${hex.slice(13, 16)}`;
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16) + hex.slice(17, 20);
  return `${prefix}-${hex.slice(0, 12)}${version}${variant}${hex.slice(20)}`;
}

/** The store id when FHIR allows it, else one derived from it (`prefix` says what kind of record it is). */
export async function fhirIdFor(prefix: string, storeId: string): Promise<string> {
  return isFhirId(storeId) ? storeId : derivedId(prefix, storeId);
}

const uuidHexId = /^[a-z][a-z0-9]*-([0-9a-f]{32})$/;

/**
 * The Bundle entry `fullUrl` for a resource: `urn:uuid:` with the UUID its id
 * carries (`<prefix>-<32 hex>`, as store ids and derived ids are), else, with
 * a server's base URL, `<base>/<type>/<id>`. Undefined when neither applies:
 * a fullUrl must be absolute, and `urn:clinic-workstation:` would not
 * resolve anywhere.
 */
export function fullUrlFor(resourceType: string, id: string, base?: string): string | undefined {
  const hex = uuidHexId.exec(id)?.[1];
  if (hex !== undefined) return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return base === undefined ? undefined : `${base.replace(/\/+$/, '')}/${resourceType}/${id}`;
}
