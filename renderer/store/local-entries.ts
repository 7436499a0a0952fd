import type { z } from 'zod';
import { sha256Hex } from '../../app/crypto/digest';
import type { ClinicDatabase } from './database';

/** Local ids are at most 64 characters: entries are named by a digest. */
export const entryDigest = async (text: string) => (await sha256Hex(text)).slice(0, 40);

/** This workstation's own (never replicated) entries whose ids start with `prefix`. */
export async function localEntries(db: ClinicDatabase, prefix: string): Promise<{ id: string; value: string }[]> {
  const docs = await db.local.find({ selector: { id: { $gte: prefix, $lt: `${prefix}\uffff` } } }).exec();
  return docs.map((doc) => ({ id: doc.id, value: doc.value }));
}

/** An entry's value in its schema, or undefined when it does not parse: a damaged entry counts as absent, it never fails the caller. */
export const parseEntry = <T>(schema: z.ZodType<T>, value: string): T | undefined => {
  try {
    const parsed = schema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};
