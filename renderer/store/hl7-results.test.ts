import { Message } from 'node-hl7-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../app/contract/client';
import type { Hl7Ack } from '../../app/contract/hl7-endpoint';
import { ApiError } from '../../app/contract/errors';
import { sendHl7Results } from './hl7-results';
import { createStoreServices } from './store-services';
import { adminVault, closeTestStores, memoryMain, spo2Draft } from './test-support';
import type { LinkWaiting } from './until-reachable';

afterEach(closeTestStores);

const endpoint = { configured: true, host: 'lab.example', port: 2575, receivingApplication: 'LABSYS', receivingFacility: 'DISTRICT' } as const;

/** The in-memory main process, with an HL7 endpoint that acknowledges from a script. */
function mainWithEndpoint(acks: Hl7Ack[] = []) {
  const memory = memoryMain();
  const sent: string[] = [];
  const call = ((method: string, params: Record<string, unknown>) => {
    if (method === 'hl7Endpoint.get') return Promise.resolve(endpoint);
    if (method === 'hl7.send') {
      sent.push(String(params.message));
      return Promise.resolve(acks.shift() ?? { code: 'AA' });
    }
    return memory.main.call(method as never, params as never);
  }) as ApiClient['call'];
  return { main: { call }, folders: memory.folders, sent };
}

async function clinicWithTwoVisits() {
  const { db, vault, userId } = await adminVault();
  const amina = await vault.patients.register({ givenNames: 'Amina', familyName: 'Diallo', sex: 'female', estimatedAgeYears: 30 });
  await vault.observations.record([spo2Draft(amina.id, userId, 96, 'obs-1')]);
  await vault.observations.record([{ ...spo2Draft(amina.id, userId, 91, 'obs-2'), effectiveAt: '2026-11-22T10:00:00Z', recordedAt: '2026-11-22T10:00:05Z' }]);
  return { db, vault, amina };
}

const messagesIn = (text: string) => text.split(/\r(?=MSH\|)/).map((part) => new Message({ text: part.endsWith('\r') ? part : `${part}\r` }));

describe('visits as HL7 v2 results', () => {
  it('writes one ORU^R01 per visit into results.hl7, oldest first, and audits it', async () => {
    const { vault, amina } = await clinicWithTwoVisits();
    const { main, folders } = mainWithEndpoint();
    const result = await vault.fhirExport.hl7(main, { scope: { kind: 'all' }, to: 'folder' });
    expect(result).toMatchObject({ to: 'folder', messages: 2, patients: 1, unreadable: 0 });
    const text = folders.get(result.exportId!)!.get('results.hl7')!;
    const messages = messagesIn(text);
    expect(messages.map((message) => message.get('PID.3.1').toString())).toEqual([amina.clinicNumber, amina.clinicNumber]);
    expect(messages.map((message) => message.get('OBX.5').toString())).toEqual(['96', '91']);
    expect(messages.map((message) => message.get('MSH.5').toString())).toEqual(['LABSYS', 'LABSYS']);
    const [entry] = await vault.audit.list({ kinds: ['export.hl7'] });
    expect(JSON.stringify(entry)).toContain('hl7-file');
  });

  it('sends each over MLLP and counts what the endpoint accepted and refused, with its words', async () => {
    const { vault } = await clinicWithTwoVisits();
    const { main, sent } = mainWithEndpoint([{ code: 'AA' }, { code: 'AE', text: 'Unknown patient identifier authority' }]);
    const result = await vault.fhirExport.hl7(main, { scope: { kind: 'all' }, to: 'endpoint' });
    expect(result).toMatchObject({ to: 'endpoint', messages: 2, accepted: 1, refused: 1 });
    expect(result.issues).toEqual([{ controlId: new Message({ text: sent[1]! }).get('MSH.10').toString(), code: 'AE', text: 'Unknown patient identifier authority' }]);
    // Sending again sends the same control ids: the endpoint recognises them.
    const again = mainWithEndpoint();
    await vault.fhirExport.hl7(again.main, { scope: { kind: 'all' }, to: 'endpoint' });
    const controlIds = (texts: string[]) => texts.map((text) => new Message({ text }).get('MSH.10').toString());
    expect(controlIds(again.sent)).toEqual(controlIds(sent));
  });

  it('waits while the endpoint cannot be reached, saying why, and sends when it can', async () => {
    const { db, vault } = await clinicWithTwoVisits();
    if (vault.state.status !== 'unlocked') throw new Error('locked');
    let refusals = 2;
    const memory = mainWithEndpoint();
    const call = ((method: string, params: Record<string, unknown>) => {
      if (method === 'hl7.send' && refusals-- > 0) return Promise.reject(new ApiError({ code: 'unavailable', message: 'The HL7 endpoint lab.example:2575 cannot be reached.' }));
      return memory.main.call(method as never, params as never);
    }) as ApiClient['call'];
    const heard: (LinkWaiting | undefined)[] = [];
    const result = await sendHl7Results(createStoreServices(db, { iterations: 1000 }), vault.state.session, { call }, { scope: { kind: 'all' }, to: 'endpoint' }, { signal: new AbortController().signal, onWaiting: (waiting) => heard.push(waiting), waits: { firstMs: 5, longestMs: 10 } });
    expect(result).toMatchObject({ messages: 2, accepted: 2, refused: 0 });
    expect(heard.map((waiting) => waiting?.reason)).toEqual(['The HL7 endpoint lab.example:2575 cannot be reached.', 'The HL7 endpoint lab.example:2575 cannot be reached.', undefined, undefined]);
  });

  it('sends only the visits a date range names', async () => {
    const { vault } = await clinicWithTwoVisits();
    const { main, sent } = mainWithEndpoint();
    const result = await vault.fhirExport.hl7(main, { scope: { kind: 'dates', from: '2026-11-22T00:00:00Z', to: '2026-11-22T23:59:59Z' }, to: 'endpoint' });
    expect(result.messages).toBe(1);
    expect(new Message({ text: sent[0]! }).get('OBX.5').toString()).toBe('91');
  });
});
