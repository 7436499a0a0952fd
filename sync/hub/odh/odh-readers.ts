import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashSecret, verifySecret } from '../secrets';

/**
 * Researchers' read-only access to the Open Data Hub: a token per reader,
 * made by the hub's operator (`npm run hub -- admin odh-reader --name …`),
 * shown once, kept only as a scrypt hash in `<data>/odh/readers.json`.
 * A token is `odhr-<32 hex>.<secret>`, sent as `Authorization: Bearer …`.
 * It opens the de-identified data and counts, never a clinic's database.
 */

interface Reader {
  readerId: string;
  name: string;
  secretHash: string;
  createdAt: string;
}

const tokenPattern = /^(odhr-[0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/;

const readersFile = (dataDir: string) => join(dataDir, 'odh', 'readers.json');

async function readReaders(dataDir: string): Promise<Reader[]> {
  try {
    return (JSON.parse(await readFile(readersFile(dataDir), 'utf8')) as { readers: Reader[] }).readers;
  } catch {
    return [];
  }
}

/** Makes a reader; the token is returned once and kept nowhere. */
export async function createOdhReader(dataDir: string, name: string): Promise<string> {
  if (name.trim() === '' || name.length > 200) throw new Error('Give the reader a name (at most 200 characters) with --name.');
  const readerId = `odhr-${randomUUID().replace(/-/g, '')}`;
  const secret = randomBytes(32).toString('base64url');
  const readers = [...(await readReaders(dataDir)), { readerId, name: name.trim(), secretHash: await hashSecret(secret), createdAt: new Date().toISOString() }];
  await mkdir(join(dataDir, 'odh'), { recursive: true });
  const temp = `${readersFile(dataDir)}.tmp`;
  await writeFile(temp, `${JSON.stringify({ readers }, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, readersFile(dataDir));
  return `${readerId}.${secret}`;
}

/** The reader a `Bearer` header names, when its secret is right. */
export async function authenticateOdhReader(dataDir: string, authorization: string | undefined): Promise<string | undefined> {
  const match = /^Bearer (\S+)$/.exec(authorization ?? '');
  const token = match === null ? null : tokenPattern.exec(match[1]!);
  if (token === null) return undefined;
  const reader = (await readReaders(dataDir)).find((candidate) => candidate.readerId === token[1]);
  return reader !== undefined && (await verifySecret(token[2]!, reader.secretHash)) ? reader.readerId : undefined;
}
