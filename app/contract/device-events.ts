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
    /** The reading run under way on this device, while it is being read. */
    runId: z.string().max(64).optional(),
  })
  .strict();
export type DeviceInfo = z.infer<typeof deviceInfoSchema>;

/**
 * Most items one `run.items` event carries. An event over it is refused
 * whole on arrival, so the device manager sends a bigger batch as several
 * events, in order.
 */
export const maxItemsPerEvent = 10_000;

/** How a reading run ends: one device read once, from `devices.start` to its `run.ended` event. */
export const runEnds = ['completed', 'stopped', 'unplugged', 'failed'] as const;
export type RunEnd = (typeof runEnds)[number];

/**
 * The `devices` topic (see `events` in api.ts): what the main process tells
 * the screen unasked about devices: devices coming and going, and what a
 * device's reading run decoded.
 */
export const deviceEventSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('devices.changed'), devices: z.array(deviceInfoSchema) }).strict(),
  z
    .object({
      event: z.literal('run.items'),
      runId: z.string().max(64),
      deviceId: z.string().max(300),
      identity: deviceIdentitySchema,
      items: z.array(decodedItemSchema).max(maxItemsPerEvent),
      receivedAt: z.iso.datetime(),
    })
    .strict(),
  z.object({ event: z.literal('run.ended'), runId: z.string().max(64), deviceId: z.string().max(300), reason: z.enum(runEnds), message: z.string().max(500) }).strict(),
]);
export type DeviceEvent = z.infer<typeof deviceEventSchema>;

/** What the screen shows in place of a `devices` event that broke the contract. */
export const unreadableDeviceEventMessage =
  "A message from the device service could not be read; the device's readings may be incomplete. Download again.";
