import type { z } from 'zod';
import { openRecord, type RecordType, type SealedRecord } from '../../app/records/sealed-record';
import type { ClinicDatabase } from './database';
import type { Session } from './session';

/**
 * Sealed records opened and checked against their type's schema, each with
 * the record it came from. A record that does not open, is not in its form, or
 * names another subject in clear than the one it holds (moved between
 * patients or facilities) is counted as unreadable: never returned half-read,
 * never silently dropped.
 */
export async function openSealed<T>(session: Session, records: readonly SealedRecord[], schema: z.ZodType<T>, subjectOf?: (value: T) => string): Promise<{ opened: { value: T; record: SealedRecord }[]; unreadable: number }> {
  const results = await Promise.all(
    records.map(async (record) => {
      const parsed = schema.safeParse(await openRecord(session.dataKey, record).catch(() => undefined));
      return parsed.success && (subjectOf === undefined || subjectOf(parsed.data) === record.subject) ? { value: parsed.data, record } : undefined;
    }),
  );
  const opened = results.filter((entry): entry is { value: T; record: SealedRecord } => entry !== undefined);
  return { opened, unreadable: results.length - opened.length };
}

/** Every live record of one type (and, when given, one subject), opened as above. */
export async function openSealedOfType<T>(db: ClinicDatabase, session: Session, type: RecordType, schema: z.ZodType<T>, options: { subject?: string; subjectOf?: (value: T) => string } = {}): Promise<{ values: T[]; unreadable: number }> {
  const docs = await db.records.find({ selector: { type, deleted: false, ...(options.subject === undefined ? {} : { subject: options.subject }) } }).exec();
  const { opened, unreadable } = await openSealed(
    session,
    docs.map((doc) => doc.toMutableJSON()),
    schema,
    options.subjectOf,
  );
  return { values: opened.map((entry) => entry.value), unreadable };
}
