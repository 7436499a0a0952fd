import { describe, expect, it } from 'vitest';
import { auditEventIdOf, toFhirAuditEvent } from './audit-event';
import { auditEntry, workstationId } from './test-support';

const recordId = `audit.${workstationId}.0000000001`;

describe('toFhirAuditEvent', () => {
  it('adds the record’s id and its place in the hash chain, and changes nothing of the hashed event', async () => {
    const entry = await auditEntry();
    const fhir = toFhirAuditEvent({ recordId, entry });
    const { id, extension, ...event } = fhir;
    expect(id).toBe(recordId);
    expect(event).toEqual(entry.event);
    expect(extension).toEqual([
      {
        url: 'urn:clinic-workstation:fhir:extension:audit-chain',
        extension: [
          { url: 'workstation', valueIdentifier: { system: 'urn:clinic-workstation:workstation-id', value: workstationId } },
          { url: 'seq', valuePositiveInt: 1 },
          { url: 'prevHash', valueString: '0'.repeat(64) },
          { url: 'hash', valueString: entry.hash },
        ],
      },
    ]);
  });

  it('leaves the stored entry as it was', async () => {
    const entry = await auditEntry();
    const before = structuredClone(entry);
    const fhir = toFhirAuditEvent({ recordId, entry });
    fhir.agent.forEach((agent) => (agent.requestor = false));
    fhir.type.code = 'changed';
    expect(entry).toEqual(before);
  });

  it('uses the record id when FHIR allows it and derives one otherwise', async () => {
    expect(await auditEventIdOf(recordId)).toBe(recordId);
    expect(await auditEventIdOf('audit.ws_1.0000000001')).toMatch(/^audit-[0-9a-f]{32}$/);
  });

  it('refuses an event that already has an id, rather than overwrite it', async () => {
    const entry = await auditEntry();
    expect(() => toFhirAuditEvent({ recordId, entry: { ...entry, event: { ...entry.event, id: 'x' } } })).toThrow();
  });
});
