import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../app/contract/client';
import { ApiError } from '../../app/contract/errors';
import type { TransactionAnswer } from '../../app/contract/fhir-server';
import { createServerPushSink, noOutcome, type PushWaiting } from './push-to-server';

/** The main process's `fhirServer.transaction`, answering from a script: an answer, or `unreachable`. */
function scriptedMain(script: (TransactionAnswer | 'unreachable')[]) {
  const sent: string[] = [];
  const call = ((method: string, params: { bundle: string }) => {
    if (method !== 'fhirServer.transaction') throw new Error(`not served here: ${method}`);
    sent.push(params.bundle);
    const next = script.shift() ?? { stored: true, entries: [] };
    if (next === 'unreachable') return Promise.reject(new ApiError({ code: 'unavailable', message: 'The FHIR server at fhir.example cannot be reached.' }));
    return Promise.resolve(next);
  }) as ApiClient['call'];
  return { main: { call }, sent };
}

const bundle = (...ids: string[]) => JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: ids.map((id) => ({ resource: { resourceType: 'Observation', id }, request: { method: 'PUT', url: `Observation/${id}` } })) });
const quick = { firstMs: 5, longestMs: 20 };

describe('a push’s transactions', () => {
  it('count what the server stored and what it refused, naming each refused resource by the entry the server pointed at', async () => {
    const { main } = scriptedMain([
      { stored: true, entries: [{ status: '201 Created' }, { status: '201 Created' }] },
      { stored: false, status: 400, issues: [{ severity: 'error', text: 'Value not in the value set', expression: 'Bundle.entry[1].resource.status' }, { severity: 'error', text: 'Transaction failed' }] },
    ]);
    const push = createServerPushSink(main, noOutcome(), new AbortController().signal, () => undefined, quick);
    await push.sink.append('bundle-0001.json', bundle('a', 'b'));
    await push.sink.append('bundle-0002.json', bundle('c', 'd', 'e'));
    expect(push.outcome()).toEqual({
      transactions: 2,
      stored: 2,
      refused: 3,
      issues: [
        { resource: 'Observation/d', text: 'Value not in the value set', expression: 'Bundle.entry[1].resource.status' },
        { resource: 'a transaction of 3', text: 'Transaction failed' },
      ],
    });
    // What a checkpoint after the first transaction keeps.
    expect(push.sink.outcomeAfter('bundle-0001.json')).toMatchObject({ transactions: 1, stored: 2, refused: 0 });
  });

  it('wait while the server cannot be reached, say why and when they try again, and send the same transaction once it answers', async () => {
    const { main, sent } = scriptedMain(['unreachable', 'unreachable', { stored: true, entries: [{ status: '200 OK' }] }]);
    const heard: (PushWaiting | undefined)[] = [];
    const push = createServerPushSink(main, noOutcome(), new AbortController().signal, (waiting) => heard.push(waiting), quick);
    await push.sink.append('bundle-0001.json', bundle('a'));
    expect(sent).toEqual([bundle('a'), bundle('a'), bundle('a')]);
    expect(heard.map((waiting) => waiting?.reason)).toEqual(['The FHIR server at fhir.example cannot be reached.', 'The FHIR server at fhir.example cannot be reached.', undefined]);
    expect(push.outcome()).toMatchObject({ transactions: 1, stored: 1 });
  });

  it('stop waiting when the admin stops the push', async () => {
    const { main } = scriptedMain(['unreachable', 'unreachable', 'unreachable']);
    const stop = new AbortController();
    const push = createServerPushSink(main, noOutcome(), stop.signal, () => stop.abort(), { firstMs: 60_000, longestMs: 60_000 });
    await expect(push.sink.append('bundle-0001.json', bundle('a'))).rejects.toMatchObject({ code: 'export_cancelled' });
  });
});
