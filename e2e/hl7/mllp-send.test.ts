import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { visitOruR01 } from '../../app/hl7/oru-r01';
import { fromDevice, glucometer, nurseId, patient, reading } from '../../app/fhir/test-support';
import { visitsOf } from '../../app/visits/visit';
import { createHl7EndpointSettings } from '../../main/hl7/hl7-endpoint-settings';
import { createMllpSender, type MllpSender } from '../../main/hl7/mllp-sender';
import { startMllpListener, type MllpListener } from '../../tools/hl7/mllp-listener';

/**
 * The main process's MLLP sender against a listener on loopback that parses
 * what it gets with a second, independent parser and acknowledges it.
 */

const dirs: string[] = [];
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((thing) => thing.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function senderTo(listener: MllpListener | { port: number }, options: { ackTimeoutMs?: number } = {}): Promise<MllpSender> {
  const dir = mkdtempSync(join(tmpdir(), 'hl7-endpoint-'));
  dirs.push(dir);
  const settings = createHl7EndpointSettings(join(dir, 'hl7-endpoint.json'));
  await settings.set({ host: '127.0.0.1', port: listener.port, receivingApplication: 'LABSYS', receivingFacility: 'DISTRICT' });
  const sender = createMllpSender(settings, { connectTimeoutMs: 2000, ...options });
  open.push(sender);
  return sender;
}

async function glucoseHiMessage(): Promise<{ text: string; controlId: string }> {
  const readings = [reading('glucoseMass', 600, { ...fromDevice(glucometer), comparator: '>' }), reading('pulse', 88)];
  const [visit] = await visitsOf(readings, nurseId);
  const text = await visitOruR01(patient(), visit!, readings, { clinic: { clinicId: 'clinic-1', name: 'Kisiwa' }, receiving: { application: 'LABSYS', facility: 'DISTRICT' }, sentAt: '2025-06-15T10:00:00+02:00' });
  return { text, controlId: /^MSH(?:\|[^|\r]*){9}/.exec(text)![0].split('|')[9]! };
}

describe('sending results over MLLP', () => {
  it('delivers the message whole (the listener’s parser reads the HI glucose as SN > 600, HH) and reads its AA', async () => {
    const listener = await startMllpListener('AA');
    open.push(listener);
    const sender = await senderTo(listener);
    const { text, controlId } = await glucoseHiMessage();
    expect(await sender.send(text)).toEqual({ code: 'AA' });
    expect(listener.received).toEqual([text]);
    const got = listener.byControlId.get(controlId)!;
    expect(got.get('PID.5.1').toString()).toBe('Banda');
    const obx = got.get('OBX') as unknown as { get(i: number): { get(p: string): { toString(): string } } };
    expect([obx.get(0).get('2').toString(), obx.get(0).get('5.1').toString(), obx.get(0).get('5.2').toString(), obx.get(0).get('8').toString()]).toEqual(['SN', '>', '600', 'HH']);
  });

  it('sends a second message down the same connection, and a resend is the same message to the receiver', async () => {
    const listener = await startMllpListener('AA');
    open.push(listener);
    const sender = await senderTo(listener);
    const { text } = await glucoseHiMessage();
    await sender.send(text);
    await sender.send(text);
    expect(listener.received).toHaveLength(2);
    expect(listener.byControlId.size).toBe(1);
  });

  it('passes on the receiver’s refusal with its words', async () => {
    const listener = await startMllpListener('AE');
    open.push(listener);
    const sender = await senderTo(listener);
    expect(await sender.send((await glucoseHiMessage()).text)).toEqual({ code: 'AE', text: 'Unknown patient identifier authority' });
  });

  it('says in plain words when the endpoint cannot be reached, or does not answer', async () => {
    const gone = await startMllpListener();
    const port = gone.port;
    await gone.close();
    const unreachable = await senderTo({ port });
    const refused = unreachable.send((await glucoseHiMessage()).text);
    await expect(refused).rejects.toMatchObject({ code: 'unavailable' });
    await expect(refused).rejects.toThrow(`127.0.0.1:${port} cannot be reached`);
    await expect(unreachable.test()).rejects.toMatchObject({ code: 'unavailable' });

    const silent = await startMllpListener('silent');
    open.push(silent);
    const waiting = await senderTo(silent, { ackTimeoutMs: 300 });
    const unanswered = waiting.send((await glucoseHiMessage()).text);
    await expect(unanswered).rejects.toMatchObject({ code: 'unavailable' });
    await expect(unanswered).rejects.toThrow('did not acknowledge');
    // The message reached the listener: sending again is safe, its control id is the same.
    expect(silent.received).toHaveLength(1);
  });
});
