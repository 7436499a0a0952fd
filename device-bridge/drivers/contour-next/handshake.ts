import { ACK, NAK } from '../astm/e1381';
import type { DecodedItem } from '../decoder';
import type { DriverHandshake } from '../driver';
import { linkOf } from './link';
import { outputReport } from './reports';

/** E1381 lets a sender retry a frame six times; past that we stop answering. */
export const MAX_REJECTS = 6;

export const ackReport = (): Uint8Array => outputReport(Uint8Array.of(ACK));
export const nakReport = (): Uint8Array => outputReport(Uint8Array.of(NAK));

/**
 * The host side of the meter's E1381 transfer. The meter is the sender: it
 * asks with ENQ, we ACK; it sends one frame, we ACK it (or NAK a bad one, and
 * it sends the same frame again); after the last frame it sends EOT.
 *
 * start() sends one ACK: a meter already in transfer mode has usually sent
 * its ENQ before we opened the device, and tidepool's uploader and
 * mmrazik/contour-next both begin with ACK for that reason (glucodump begins
 * with EOT instead; the meter answers that with ENQ too).
 *
 * An EOT before any frame is the meter resetting the link while it
 * establishes (glucodump's test_sync shows one before the first ENQ), so only
 * an EOT after a frame ends the handshake.
 */
export function createContourHandshake(): DriverHandshake {
  let sawFrame = false;
  let rejects = 0;
  let done = false;
  return {
    start: () => [ackReport()],
    onItems(items: DecodedItem[]) {
      const send: Uint8Array[] = [];
      for (const item of items) {
        if (done) break;
        switch (linkOf(item)) {
          case 'enq':
            send.push(ackReport());
            break;
          case 'frame':
            sawFrame = true;
            rejects = 0;
            send.push(ackReport());
            break;
          case 'rejected':
            rejects += 1;
            if (rejects > MAX_REJECTS) done = true;
            else send.push(nakReport());
            break;
          case 'eot':
            if (sawFrame) done = true;
            break;
          default:
            break;
        }
      }
      return { send, done };
    },
  };
}
