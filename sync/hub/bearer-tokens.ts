import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashSecret, verifySecret } from './secrets';

/**
 * Read-only access for callers that are not workstations (researchers
 * reading the Open Data Hub, other systems asking the facility directory): a
 * token per caller, made by the hub's operator with an admin command, shown
 * once, kept only as a scrypt hash in `<data>/<folder>/<file>`. A token is
 * `<prefix>-<32 hex>.<secret>`, sent as `Authorization: Bearer …`; each kind
 * has its own prefix and file, so one kind's token never opens another's door.
 */

export interface TokenKind {
  /** Lowercase letters: the token's first part, and what names it in errors. */
  prefix: string;
  /** Folder under the hub's data folder, and the file in it. */
  folder: string;
  file: string;
}

interface Holder {
  id: string;
  name: string;
  secretHash: string;
  createdAt: string;
}

const where = (dataDir: string, kind: TokenKind) => join(dataDir, kind.folder, kind.file);

async function holders(dataDir: string, kind: TokenKind): Promise<Holder[]> {
  try {
    const saved = JSON.parse(await readFile(where(dataDir, kind), 'utf8')) as { holders?: Holder[]; readers?: { readerId: string; name: string; secretHash: string; createdAt: string }[] };
    // Files written before the token kinds were one module named their holders `readers`, by `readerId`.
    return saved.holders ?? (saved.readers ?? []).map(({ readerId, ...rest }) => ({ id: readerId, ...rest }));
  } catch {
    return [];
  }
}

/** Makes a token for `name`; it is returned once and kept nowhere. */
export async function createToken(dataDir: string, kind: TokenKind, name: string): Promise<string> {
  if (name.trim() === '' || name.length > 200) throw new Error('Give the holder a name (at most 200 characters) with --name.');
  const id = `${kind.prefix}-${randomUUID().replace(/-/g, '')}`;
  const secret = randomBytes(32).toString('base64url');
  const all = [...(await holders(dataDir, kind)), { id, name: name.trim(), secretHash: await hashSecret(secret), createdAt: new Date().toISOString() }];
  await mkdir(join(dataDir, kind.folder), { recursive: true });
  const temp = `${where(dataDir, kind)}.tmp`;
  await writeFile(temp, `${JSON.stringify({ holders: all }, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, where(dataDir, kind));
  return `${id}.${secret}`;
}

/** The holder a `Bearer` header names, when its token is of this kind and its secret is right. */
export async function authenticateToken(dataDir: string, kind: TokenKind, authorization: string | undefined): Promise<string | undefined> {
  const match = /^Bearer (\S+)$/.exec(authorization ?? '');
  const token = match === null ? null : new RegExp(`^(${kind.prefix}-[0-9a-f]{32})\\.([A-Za-z0-9_-]{43})$`).exec(match[1]!);
  if (token === null) return undefined;
  const holder = (await holders(dataDir, kind)).find((candidate) => candidate.id === token[1]);
  return holder !== undefined && (await verifySecret(token[2]!, holder.secretHash)) ? holder.id : undefined;
}
