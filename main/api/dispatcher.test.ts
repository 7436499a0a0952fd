import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { limits } from '../../app/contract/envelope';
import { createWorkstation } from '../compose';
import { silentLogger } from '../../app/log/logger';
import { testWorkstationOptions } from '../test-support';
import { createDispatcher, type Handlers } from './dispatcher';

const ctx = { transport: 'websocket' } as const;

async function setup() {
  const options = await testWorkstationOptions();
  return { dispatcher: (await createWorkstation(options)).dispatcher, dataDir: options.dataDir };
}

describe('dispatcher', () => {
  it('answers a valid request with its result', async () => {
    const { dispatcher } = await setup();
    const response = await dispatcher.handleText(JSON.stringify({ id: 'a1', method: 'system.ping', params: { nonce: 'n-1' } }), ctx);
    expect(response).toMatchObject({ id: 'a1', ok: true, result: { nonce: 'n-1' } });
  });

  it.each([
    ['not JSON', '{"id": "a1", method', null, 'bad_request'],
    ['a JSON array', '[1,2,3]', null, 'bad_request'],
    ['an envelope without method', '{"id":"a2","params":{}}', 'a2', 'bad_request'],
    ['an envelope with an extra field', '{"id":"a3","method":"system.ping","params":{"nonce":"x"},"admin":true}', 'a3', 'bad_request'],
    ['an unknown method', '{"id":"a4","method":"system.shutdown","params":{}}', 'a4', 'unknown_method'],
    ['a prototype key as method', '{"id":"a5","method":"__proto__","params":{}}', 'a5', 'unknown_method'],
    ['params of the wrong type', '{"id":"a6","method":"system.ping","params":{"nonce":42}}', 'a6', 'bad_request'],
    ['params missing', '{"id":"a7","method":"system.ping"}', 'a7', 'bad_request'],
  ])('rejects %s with a typed error', async (_label, text, id, code) => {
    const { dispatcher } = await setup();
    const response = await dispatcher.handleText(text, ctx);
    expect(response).toMatchObject({ id, ok: false, error: { code } });
  });

  it('rejects an oversize request before parsing it', async () => {
    const { dispatcher } = await setup();
    const text = JSON.stringify({ id: 'big', method: 'system.ping', params: { nonce: 'x'.repeat(limits.maxRequestBytes + 1024) } });
    expect(await dispatcher.handleText(text, ctx)).toMatchObject({ ok: false, error: { code: 'too_large' } });
  });

  it('never echoes submitted values in an error (they may be PHI)', async () => {
    const { dispatcher } = await setup();
    const secret = 'Amina Diallo 0712345678';
    const response = await dispatcher.handleValue({ id: 'p1', method: 'settings.update', params: { locale: secret, [secret]: 1 } }, ctx);
    expect(response.ok).toBe(false);
    expect(JSON.stringify(response)).not.toContain('Amina');
  });

  it('writes nothing when any part of an update is invalid', async () => {
    const { dispatcher, dataDir } = await setup();
    await dispatcher.handleValue({ id: 'w1', method: 'settings.update', params: { locale: 'fr' } }, ctx);
    const before = await readFile(join(dataDir, 'settings.json'), 'utf8');
    const response = await dispatcher.handleValue({ id: 'w2', method: 'settings.update', params: { locale: 'de' } }, ctx);
    expect(response).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await readFile(join(dataDir, 'settings.json'), 'utf8')).toBe(before);
    const current = await dispatcher.handleValue({ id: 'w3', method: 'settings.get', params: {} }, ctx);
    expect(current).toMatchObject({ ok: true, result: { locale: 'fr' } });
  });

  it('turns a failing handler into a typed internal error and keeps serving', async () => {
    const failing = {
      'system.ping': () => {
        throw new Error('disk on fire: patient Amina');
      },
    } as unknown as Handlers;
    const logged: string[] = [];
    const dispatcher = createDispatcher(failing, { ...silentLogger, error: (event, fields) => logged.push(JSON.stringify({ event, ...fields })) });
    const response = await dispatcher.handleValue({ id: 'h1', method: 'system.ping', params: { nonce: 'x' } }, ctx);
    expect(response).toMatchObject({ id: 'h1', ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(response) + logged.join()).not.toContain('Amina');
  });

  it('refuses a handler result that breaks the contract', async () => {
    const offContract = { 'system.ping': () => ({ nonce: 7 }) } as unknown as Handlers;
    const dispatcher = createDispatcher(offContract, silentLogger);
    const response = await dispatcher.handleValue({ id: 'r1', method: 'system.ping', params: { nonce: 'x' } }, ctx);
    expect(response).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
