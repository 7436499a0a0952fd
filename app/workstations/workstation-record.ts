import { z } from 'zod';
import { displayNameSchema } from '../names/display-name';

/**
 * Each workstation of a clinic publishes its own name as one sealed record of
 * type `workstation` in the `records` collection, so every workstation can say
 * where a value was entered ("entered on Front desk") instead of a clock id.
 * The name is given at enrollment; the hub's registry knows it too, but the
 * hub only carries sealed documents, so the clinic's workstations learn it
 * from each other through this record.
 *
 * The record's id is made from the workstation id, which is also the node of
 * every clock value (app/records/hlc.ts) the workstation stamps: a conflict's
 * clock value leads to the record that names its workstation. Only the workstation
 * itself writes its record, so sync's later-edit-wins rule for single-writer
 * types (app/conflicts/merge-records.ts) is all it needs.
 */

/** A workstation's name: the rule the hub's enrollment applies to it (app/names/display-name.ts). */
export const workstationNameSchema = displayNameSchema;

/** The sealed payload. */
export const workstationRecordSchema = z.object({ name: workstationNameSchema }).strict();
export type WorkstationRecord = z.infer<typeof workstationRecordSchema>;

/** Workstation ids are clock nodes (app/records/hlc.ts), so they have that shape. */
const workstationIdPattern = /^[A-Za-z0-9_-]{1,40}$/;
const recordIdPrefix = 'workstation.';

/** The id of the record naming a workstation (prefixed like audit entries' ids, so it never meets another record's id). */
export function workstationRecordId(workstationId: string): string {
  if (!workstationIdPattern.test(workstationId)) throw new Error('not a workstation id');
  return `${recordIdPrefix}${workstationId}`;
}

/** The workstation a record of type `workstation` names; undefined for an id not made by workstationRecordId. */
export function workstationIdOfRecord(recordId: string): string | undefined {
  const workstationId = recordId.startsWith(recordIdPrefix) ? recordId.slice(recordIdPrefix.length) : '';
  return workstationIdPattern.test(workstationId) ? workstationId : undefined;
}
