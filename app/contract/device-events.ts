import { z } from 'zod';
import { decodedItemSchema, deviceIdentitySchema } from '../devices/decoded-item';
import { driverIds } from '../devices/driver-ids';

/** A device the workstation can read, as the capture screen lists it. */
export const deviceInfoSchema = z
  .object({
    id: z.string().max(300),
    transport: z.enum(['serial', 'hid']),
    path: z.string().max(260),
    label: z.string().max(100),
    drivers: z.array(z.enum(driverIds)),
    state: z.enum(['ready', 'reading', 'error']),
    error: z.string().max(500).optional(),
    sessionId: z.string().max(64).optional(),
  })
  .strict();
export type DeviceInfo = z.infer<typeof deviceInfoSchema>;

/**
 * Most items one `session.items` event carries. An event over it is refused
 * whole on arrival, so the device manager sends a bigger batch as several
 * events, in order.
 */
export const maxItemsPerEvent = 10_000;

export const sessionEnds = ['completed', 'stopped', 'unplugged', 'failed'] as const;
export type SessionEnd = (typeof sessionEnds)[number];

/**
 * What the main process tells the screen without being asked: devices coming
 * and going, and what a device session decoded. Validated on arrival like
 * every answer.
 */
export const deviceEventSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('devices.changed'), devices: z.array(deviceInfoSchema) }).strict(),
  z
    .object({
      event: z.literal('session.items'),
      sessionId: z.string().max(64),
      deviceId: z.string().max(300),
      identity: deviceIdentitySchema,
      items: z.array(decodedItemSchema).max(maxItemsPerEvent),
      receivedAt: z.iso.datetime(),
    })
    .strict(),
  z.object({ event: z.literal('session.ended'), sessionId: z.string().max(64), deviceId: z.string().max(300), reason: z.enum(sessionEnds), message: z.string().max(500) }).strict(),
]);
export type DeviceEvent = z.infer<typeof deviceEventSchema>;

/** How an event travels: tagged so a client tells it from an answer. */
export const eventEnvelopeSchema = z.object({ type: z.literal('event'), payload: deviceEventSchema }).strict();
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;
export const ipcEventChannel = 'clinic:event';
