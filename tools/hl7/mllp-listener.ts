import { createServer, type Server, type Socket } from 'node:net';
import { Message } from 'node-hl7-client';

/**
 * A lab's MLLP listener on loopback, for tests: frames are VT … FS CR as
 * MLLP says, each message is parsed by node-hl7-client (a parser
 * independent of the one that wrote it and of the one that sent it) and
 * acknowledged in original mode: AA, or AE with words, or nothing (a
 * receiver that hangs). Messages are kept by control id, so a resend is
 * seen as the same message.
 */

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

export type ListenerAnswer = 'AA' | 'AE' | 'silent';

export interface MllpListener {
  port: number;
  /** Every message received, as text, in order (resends included). */
  received: string[];
  /** The messages by MSH-10, each once. */
  byControlId: Map<string, Message>;
  answer: ListenerAnswer;
  close(): Promise<void>;
}

function ack(message: Message, code: 'AA' | 'AE', words: string): string {
  const controlId = message.get('MSH.10').toString();
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return [`MSH|^~\\&|LAB|DISTRICT|CLINIC-WORKSTATION||${stamp}||ACK^R01^ACK|ACK${controlId}|P|2.5.1`, `MSA|${code}|${controlId}${words === '' ? '' : `|${words}`}`, ''].join('\r');
}

export async function startMllpListener(answer: ListenerAnswer = 'AA'): Promise<MllpListener> {
  const sockets = new Set<Socket>();
  const listener: Omit<MllpListener, 'port' | 'close'> = { received: [], byControlId: new Map(), answer };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const start = buffer.indexOf(VT);
        const end = buffer.indexOf(FS, start + 1);
        if (start < 0 || end < 0 || buffer[end + 1] !== CR) return;
        const text = buffer.subarray(start + 1, end).toString('utf8');
        buffer = buffer.subarray(end + 2);
        listener.received.push(text);
        const message = new Message({ text });
        listener.byControlId.set(message.get('MSH.10').toString(), message);
        if (listener.answer === 'silent') continue;
        const reply = listener.answer === 'AA' ? ack(message, 'AA', '') : ack(message, 'AE', 'Unknown patient identifier authority');
        socket.write(Buffer.concat([Buffer.from([VT]), Buffer.from(reply, 'utf8'), Buffer.from([FS, CR])]));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the listener has no port');
  return Object.assign(listener, {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
}
