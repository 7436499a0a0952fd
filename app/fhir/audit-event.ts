import type { AuditEvent } from '@medplum/fhirtypes';
import type { AuditEntry } from '../audit/hash-chain';
import { fhirIdFor, requireFhirId } from './ids';
import { EXTENSION, WORKSTATION_ID } from './systems';

/**
 * An audit log entry for export. The stored entry is already a FHIR
 * AuditEvent (app/audit/audit-event.ts); export adds its id and its place in
 * the workstation's hash chain, and changes nothing else, so an import can
 * take the extension off and check the chain against the very event that
 * was hashed. R4's AuditEvent has no `identifier`, hence an extension.
 */

/** The record id (`audit.<workstation>.<seq>`) when FHIR allows it, else one derived from it. */
export function auditEventIdOf(recordId: string): Promise<string> {
  return fhirIdFor('audit', recordId);
}

export interface AuditEntryInput {
  /** The audit record's store id. */
  recordId: string;
  entry: AuditEntry;
}

export function toFhirAuditEvent(input: AuditEntryInput, context: { id?: string | undefined } = {}): AuditEvent {
  const { entry } = input;
  if (entry.event.id !== undefined || entry.event.extension !== undefined) {
    // Ours never has either; one that does did not come from buildAuditEvent, and overwriting would hide that.
    throw new Error('audit event already has an id or extensions');
  }
  return {
    ...structuredClone(entry.event),
    id: requireFhirId(context.id ?? input.recordId, 'audit record id'),
    extension: [
      {
        url: EXTENSION.auditChain,
        extension: [
          { url: 'workstation', valueIdentifier: { system: WORKSTATION_ID, value: entry.workstationId } },
          { url: 'seq', valuePositiveInt: entry.seq },
          { url: 'prevHash', valueString: entry.prevHash },
          { url: 'hash', valueString: entry.hash },
        ],
      },
    ],
  };
}
