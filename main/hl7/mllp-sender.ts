import { Hl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import { hl7AckCodes, type Hl7Ack } from '../../app/contract/hl7-endpoint';
import { ApiError } from '../../app/contract/errors';
import type { Hl7EndpointSettings } from './hl7-endpoint-settings';

/**
 * Sends ORU^R01 messages over MLLP with @medplum/hl7's client (framing, the
 * connection, pairing each ACK with its message by MSA-2) and reads the
 * acknowledgement's code and words. One connection is kept while messages
 * follow one another (the settings are read when one opens), and dropped
 * when the endpoint is changed (`close`) or fails.
 * Failures are plain words about the endpoint, never about the message (it
 * holds patient data).
 */
export interface MllpSender {
  send(message: string): Promise<Hl7Ack>;
  /** Connects and disconnects: the endpoint is reachable. */
  test(): Promise<void>;
  close(): Promise<void>;
}

export interface MllpSenderOptions {
  /** How long to wait for a connection, and for an acknowledgement (ms). */
  connectTimeoutMs?: number;
  ackTimeoutMs?: number;
}

const isAckCode = (code: string): code is Hl7Ack['code'] => (hl7AckCodes as readonly string[]).includes(code);

export function createMllpSender(settings: Hl7EndpointSettings, options: MllpSenderOptions = {}): MllpSender {
  const connectTimeout = options.connectTimeoutMs ?? 10_000;
  const ackTimeout = options.ackTimeoutMs ?? 30_000;
  let open: { key: string; client: Hl7Client } | undefined;

  async function drop(): Promise<void> {
    const client = open?.client;
    open = undefined;
    await client?.close().catch(() => undefined);
  }

  /** The open connection, or a new one to the endpoint as set now (setting it drops the old one: `close`). */
  async function client(): Promise<{ client: Hl7Client; where: string }> {
    if (open === undefined) {
      const endpoint = await settings.get();
      if (!endpoint.configured) throw new ApiError({ code: 'unavailable', message: 'No HL7 endpoint is set. An admin sets one in Settings.' });
      open = { key: `${endpoint.host}:${endpoint.port}`, client: new Hl7Client({ host: endpoint.host, port: endpoint.port, connectTimeout }) };
    }
    const where = open.key;
    try {
      await open.client.connect();
    } catch {
      await drop();
      throw new ApiError({ code: 'unavailable', message: `The HL7 endpoint ${where} cannot be reached. Check the address and the connection, then send again.` });
    }
    return { client: open.client, where };
  }

  return {
    async send(message) {
      const { client: connected, where } = await client();
      let answer: Hl7Message;
      try {
        answer = await connected.sendAndWait(Hl7Message.parse(message), { timeoutMs: ackTimeout });
      } catch {
        await drop();
        throw new ApiError({ code: 'unavailable', message: `The HL7 endpoint ${where} did not acknowledge the message in time. Send again: it recognises a message it already has.` });
      }
      const msa = answer.getSegment('MSA');
      const code = msa?.getField(1)?.toString().toUpperCase() ?? '';
      if (!isAckCode(code)) throw new ApiError({ code: 'unavailable', message: `The HL7 endpoint ${where} answered without an acknowledgement code.` });
      const words = msa?.getField(3)?.toString() || answer.getSegment('ERR')?.getField(8)?.toString() || '';
      return words === '' ? { code } : { code, text: words.slice(0, 2000) };
    },
    async test() {
      await client();
      await drop();
    },
    close: drop,
  };
}
