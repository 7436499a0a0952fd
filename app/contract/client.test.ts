import { describe, expect, it } from 'vitest';
import { createApiClient, type Transport } from './client';
import type { RequestEnvelope } from './envelope';
import { ApiError } from './errors';

/** A transport that answers each request with what the test gives it. */
const answering = (answer: (request: RequestEnvelope) => unknown): Transport => ({
  kind: 'websocket',
  send: (request) => Promise.resolve(answer(request)),
  onEvent: () => () => undefined,
});

describe('typed API client', () => {
  it('returns the validated result of a call', async () => {
    const client = createApiClient(answering((r) => ({ id: r.id, ok: true, result: { nonce: 'n', receivedAt: new Date().toISOString() } })));
    await expect(client.call('system.ping', { nonce: 'n' })).resolves.toMatchObject({ nonce: 'n' });
  });

  it('throws the typed error the host sent', async () => {
    const client = createApiClient(answering((r) => ({ id: r.id, ok: false, error: { code: 'rate_limited', message: 'slow down' } })));
    await expect(client.call('system.ping', { nonce: 'n' })).rejects.toMatchObject({ name: 'ApiError', code: 'rate_limited' });
  });

  it.each([
    ['an answer to another request', (r: RequestEnvelope) => ({ id: `${r.id}-other`, ok: true, result: {} })],
    ['a result off the contract', (r: RequestEnvelope) => ({ id: r.id, ok: true, result: { nonce: 5 } })],
    ['something that is not an envelope', () => 'hello'],
    ['an unknown error code', (r: RequestEnvelope) => ({ id: r.id, ok: false, error: { code: 'teapot', message: '' } })],
  ])('refuses %s as an internal error instead of trusting it', async (_label, answer) => {
    const client = createApiClient(answering(answer));
    const error = await client.call('system.ping', { nonce: 'n' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('internal');
  });
});
