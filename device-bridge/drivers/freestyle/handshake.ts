import type { DecodedItem } from '../decoder';
import type { DriverHandshake } from '../driver';
import { linkOf } from './link';
import { buildReport, MessageType, textCommand } from './reports';

/** A reply that fails its checksum is asked for again, this many times at most. */
export const MAX_RETRIES = 2;

export const SERIAL_COMMAND = '$serlnum?';
export const RESULTS_COMMAND = '$result?';
export const DATE_COMMAND = '$date?';
export const TIME_COMMAND = '$time?';
export const initReport = (): Uint8Array => buildReport(MessageType.init);

type Step = 'init' | 'serial' | 'results' | 'date' | 'time' | 'done';
const commands = { serial: SERIAL_COMMAND, results: RESULTS_COMMAND, date: DATE_COMMAND, time: TIME_COMMAND } as const;
type Asking = keyof typeof commands;
/** What follows a verified answer to each command. */
const after: Record<Asking, Asking | 'done'> = { serial: 'results', results: 'date', date: 'time', time: 'done' };

/**
 * The host side of a FreeStyle download: INIT (0x01), then `$serlnum?`,
 * `$result?`, `$date?` and `$time?`. Each step waits for the meter's answer,
 * as freestyle-hid does (it reads the INIT reply before any text command).
 *
 * Only INIT is sent to open the link, not Abbott's 0x04, 0x05, 0x15, 0x01
 * sequence (which tidepool still sends): glucometerutils dropped the other
 * three in 2020 after testing on the Libre and the Precision Neo, as they only
 * let Abbott's software identify the model.
 *
 * The clock is asked for after the results, so nothing about it can stand
 * between the nurse and the results: a meter that refuses `$date?` ends the
 * handshake there, with every result already in.
 */
export function createFreestyleHandshake(): DriverHandshake {
  let step: Step = 'init';
  let retries = 0;
  const ask = (next: Asking | 'done'): Uint8Array[] => {
    step = next;
    retries = 0;
    return next === 'done' ? [] : [textCommand(commands[next])];
  };
  return {
    start: () => [initReport()],
    onItems(items: DecodedItem[]) {
      const send: Uint8Array[] = [];
      for (const item of items) {
        const link = linkOf(item);
        if (step === 'done' || link === undefined) continue;
        if (link === 'rejected-command') step = 'done';
        else if (step === 'init') {
          if (link === 'init') send.push(...ask('serial'));
        } else if (link === 'bad-reply') {
          retries += 1;
          if (retries > MAX_RETRIES) step = 'done';
          else send.push(textCommand(commands[step]));
        } else if (link === 'init') {
          // A late INIT answer says nothing about the command in hand.
        } else if (step === 'date' && link === 'failed') {
          // A meter that refuses the date will not give the time either.
          step = 'done';
        } else {
          // Any verified answer, even a refusal, ends its step: the results matter more than the serial.
          send.push(...ask(after[step]));
        }
      }
      return { send, done: step === 'done' };
    },
  };
}
