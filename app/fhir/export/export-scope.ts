import { z } from 'zod';
import type { Visit } from '../../visits/visit';
import { fhirIdPattern } from '../ids';

/**
 * What an export holds. Every scope carries the clinic's shared resources
 * (Organization, Location, staff, workstations); the scopes differ in the
 * patients they take and, for a date range, in the visits:
 * - `all`: every patient;
 * - `patients`: the patients an admin chose;
 * - `dates`: the visits that began in the range (from and to included),
 *   whole, with their patients; a patient without one is left out;
 * - `changed`: every patient with any record written on this workstation
 *   (typed here or arrived by sync) since the last whole-clinic or
 *   changed-since export finished, in full. Resources keep their ids from
 *   export to export, so a receiver updates what it already holds.
 */

/** The most patients an admin picks by hand for one export. */
export const maxChosenPatients = 1000;

const instant = z.iso.datetime({ offset: true });

export const exportScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('patients'), patientIds: z.array(z.string().regex(fhirIdPattern)).min(1).max(maxChosenPatients) }).strict(),
  z
    .object({ kind: z.literal('dates'), from: instant, to: instant })
    .strict()
    .refine((range) => Date.parse(range.from) <= Date.parse(range.to), { message: 'The range cannot end before it starts.', path: ['to'] }),
  z.object({ kind: z.literal('changed') }).strict(),
]);
export type ExportScope = z.infer<typeof exportScopeSchema>;
export type ExportScopeKind = ExportScope['kind'];
export const exportScopeKinds = ['all', 'patients', 'dates', 'changed'] as const satisfies readonly ExportScopeKind[];

/** Whether a visit is in the scope: a date range keeps the visits that began in it, whole (a NEWS2 score needs all of a visit's readings). */
export function keepsVisit(scope: ExportScope, visit: Pick<Visit, 'start'>): boolean {
  if (scope.kind !== 'dates') return true;
  const start = Date.parse(visit.start);
  return start >= Date.parse(scope.from) && start <= Date.parse(scope.to);
}

/** Whether an export in this scope moves the point the next `changed` export starts from: only one that took every change does. */
export function movesChangeMark(scope: ExportScope): boolean {
  return scope.kind === 'all' || scope.kind === 'changed';
}
