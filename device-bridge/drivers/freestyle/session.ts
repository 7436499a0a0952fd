import type { DecodedItem } from '../decoder';
import type { DriverSession } from '../driver';
import { linkOf } from './link';
import { buildReport, MessageType, textCommand } from './reports';

/** A reply that fails its checksum is asked for again, this many times at most. */
export const MAX_RETRIES = 2;

export const SERIAL_COMMAND = '$serlnum?';
export const RESULTS_COMMAND = '$result?';
export const initReport = (): Uint8Array => buildReport(MessageType.init);

/**
 * The host side of a FreeStyle download: INIT (0x01), then `$serlnum?`, then
 * `$result?`. Each step waits for the meter's answer, as freestyle-hid does
 * (it reads the INIT reply before any text command).
 *
 * Only INIT is sent to open the link, not Abbott's 0x04, 0x05, 0x15, 0x01
 * sequence (which tidepool still sends): glucometerutils dropped the other
 * three in 2020 after testing on the Libre and the Precision Neo, as they only
 * let Abbott's software identify the model.
 */
export function createFreestyleSession(): DriverSession {
  let step: 'init' | 'serial' | 'results' | 'done' = 'init';
  let retries = 0;
  const ask = (command: string, next: typeof step): Uint8Array => {
    step = next;
    retries = 0;
    return textCommand(command);
  };
  return {
    start: () => [initReport()],
    onItems(items: DecodedItem[]) {
      const send: Uint8Array[] = [];
      for (const item of items) {
        const link = linkOf(item);
        if (step === 'done' || link === undefined) continue;
        if (link === 'rejected-command') step = 'done';
        else if (link === 'init' && step === 'init') send.push(ask(SERIAL_COMMAND, 'serial'));
        else if (link === 'bad-reply' && step !== 'init') {
          retries += 1;
          if (retries > MAX_RETRIES) step = 'done';
          else send.push(textCommand(step === 'serial' ? SERIAL_COMMAND : RESULTS_COMMAND));
        } else if (step === 'serial' && link !== 'init') {
          // Any verified answer, even a refusal, ends the serial step: the results matter more.
          send.push(ask(RESULTS_COMMAND, 'results'));
        } else if (step === 'results' && link !== 'init') step = 'done';
      }
      return { send, done: step === 'done' };
    },
  };
}
