import { odhQueueItemInputSchema, odhQueueStatusSchema } from './odh';
import {
  basemapPageSchema,
  maxBasemapFeatures,
  rankAnswerSchema,
  rankParamsSchema,
  regionStatusSchema,
  routeAnswerSchema,
  routeParamsSchema,
  tileArchiveAddSchema,
  tileArchiveStatusSchema,
  tileReadAnswerSchema,
  tileReadParamsSchema,
} from './region';
import { z } from 'zod';
import { driverIds } from '../devices/driver-ids';
import { settingsPatchSchema, settingsSchema } from '../settings/settings';
import { commitmentPattern, enrollmentProofSchema, hubPartPattern } from '../enrollment/enrollment-code';
import { databasesSchema } from '../replication/replicated-collections';
import { deviceEventSchema, deviceInfoSchema, unreadableDeviceEventMessage } from './device-events';
import { exportFolderFormats, hl7AckSchema, hl7EndpointInputSchema, hl7EndpointSummarySchema, maxHl7MessageChars } from './hl7-endpoint';
import { fhirServerInputSchema, fhirServerSummarySchema, maxTransactionChars, transactionAnswerSchema } from './fhir-server';

/**
 * The one typed API the renderer asks of the main process. Each method names
 * its params and result schemas; both transports (Electron IPC and the
 * loopback WebSocket) carry exactly this, and both sides validate against it.
 */
const method = <P extends z.ZodType, R extends z.ZodType>(params: P, result: R) => ({ params, result });

export const transportKinds = ['ipc', 'websocket'] as const;

/**
 * The most text one `export.append` carries: a million characters stay under
 * the 4 MiB request limit however many quotes JSON escapes or letters take
 * three bytes, and a few hundred requests carry a large export.
 */
export const maxExportChunkChars = 1_000_000;
const exportId = z.string().min(1).max(64);

export const api = {
  'system.ping': method(
    z.object({ nonce: z.string().min(1).max(128) }).strict(),
    z.object({ nonce: z.string(), receivedAt: z.iso.datetime() }).strict(),
  ),
  'system.info': method(
    z.object({}).strict(),
    z
      .object({
        appName: z.string(),
        appVersion: z.string(),
        /** null when running in browser mode (no Electron). */
        electronVersion: z.string().nullable(),
        nodeVersion: z.string(),
        chromeVersion: z.string().nullable(),
        platform: z.string(),
        arch: z.string(),
        transport: z.enum(transportKinds),
        startedAt: z.iso.datetime(),
        uptimeSeconds: z.number().nonnegative(),
      })
      .strict(),
  ),
  'settings.get': method(z.object({}).strict(), settingsSchema),
  'settings.update': method(settingsPatchSchema, settingsSchema),
  'devices.list': method(z.object({}).strict(), z.object({ devices: z.array(deviceInfoSchema) }).strict()),
  /** Starts a reading run (one device read once); what it decodes arrives as `devices` events naming `runId`. */
  'devices.start': method(
    z.object({ deviceId: z.string().min(1).max(300), driver: z.enum(driverIds) }).strict(),
    z.object({ runId: z.string() }).strict(),
  ),
  'devices.stop': method(z.object({ runId: z.string().min(1).max(64) }).strict(), z.object({}).strict()),
  /** Whether this workstation is linked to a hub, and where (never its secret); `databases`: each replicated collection's database, by collection name. */
  'hub.status': method(
    z.object({}).strict(),
    z.discriminatedUnion('linked', [
      z.object({ linked: z.literal(false) }).strict(),
      z
        .object({ linked: z.literal(true), hubUrl: z.string(), hubId: z.string(), clinicId: z.string(), workstationId: z.string(), databases: databasesSchema })
        .strict(),
    ]),
  ),
  /** Enrolls with the proof of a one-time code (the code itself stays in the renderer: it unwraps the data key). */
  'hub.enroll': method(
    z
      .object({
        hubUrl: z.string().min(1).max(500),
        codeProof: enrollmentProofSchema,
        workstationName: z.string().trim().min(1).max(100),
        /** When linking a clinic that already exists here: the code must be for this clinic, else nothing is kept. */
        clinicId: z.string().max(64).optional(),
      })
      .strict(),
    z.object({ clinicId: z.string(), workstationId: z.string(), wrappedKey: z.string().nullable() }).strict(),
  ),
  /** Deposits the commitment to a code's secret part made on this (admin) workstation, with the data key wrapped under that part; the hub answers its own part of the code. */
  'hub.issueCode': method(
    z.object({ codeCommitment: z.string().regex(commitmentPattern), wrappedKey: z.string().min(1).max(4096), expiresInHours: z.number().int().min(1).max(168) }).strict(),
    z.object({ expiresAt: z.iso.datetime(), hubPart: z.string().regex(hubPartPattern) }).strict(),
  ),
  /**
   * Forgets the hub link named (its credentials are deleted here), so a
   * workstation that enrolled with the wrong hub or code before its clinic was
   * set up can join again. The renderer asks only while no clinic is set up.
   */
  'hub.unlink': method(z.object({ workstationId: z.string().min(1).max(64) }).strict(), z.object({ linked: z.literal(false) }).strict()),
  /** One CouchDB replication request to this clinic's databases on the hub; credentials are added by the main process. */
  'hub.request': method(
    z.object({ method: z.enum(['GET', 'POST', 'PUT']), path: z.string().startsWith('/').max(16_384), body: z.string().optional() }).strict(),
    z.object({ status: z.number().int().min(100).max(599), body: z.string() }).strict(),
  ),
  /**
   * FHIR export files (main/export/export-files.ts): the data worker reads,
   * decrypts and maps, the main process writes. An append says the byte it
   * starts at, so a resumed export rewrites what was not confirmed.
   */
  'export.open': method(z.object({ format: z.enum(exportFolderFormats) }).strict(), z.object({ exportId: exportId, folder: z.string().max(4096) }).strict()),
  'export.append': method(
    z.object({ exportId, file: z.string().min(1).max(80), offset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), text: z.string().max(maxExportChunkChars) }).strict(),
    z.object({ size: z.number().int().nonnegative() }).strict(),
  ),
  /** Browser mode: a one-time link (valid two minutes) that downloads the export's folder as one zip. */
  'export.download': method(z.object({ exportId }).strict(), z.object({ path: z.string().regex(/^\/downloads\/[A-Za-z0-9_-]{43}$/) }).strict()),
  /** The FHIR server pushes go to, without its secrets (main/fhir/fhir-server-settings.ts). */
  'fhirServer.get': method(z.object({}).strict(), fhirServerSummarySchema),
  /** An admin sets the FHIR server (the role is checked in the data worker, which asks this only for an admin). */
  'fhirServer.set': method(fhirServerInputSchema, fhirServerSummarySchema),
  /** Asks the server for its CapabilityStatement: reachable, the credentials accepted, FHIR R4. */
  'fhirServer.test': method(z.object({}).strict(), z.object({ fhirVersion: z.string().max(20), software: z.string().max(200).optional() }).strict()),
  /** Sends one transaction Bundle (JSON text) to the FHIR server with its credentials. */
  'fhirServer.transaction': method(z.object({ bundle: z.string().min(2).max(maxTransactionChars) }).strict(), transactionAnswerSchema),
  /** Cuts an interrupted export's files back to its last checkpoint's sizes (and removes files begun after it), to carry on from there. */
  'export.rewind': method(z.object({ exportId, sizes: z.record(z.string().max(80), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)) }).strict(), z.object({}).strict()),
  /** The lab or EHR endpoint visits' results go to as HL7 v2 (main/hl7/hl7-endpoint-settings.ts). */
  'hl7Endpoint.get': method(z.object({}).strict(), hl7EndpointSummarySchema),
  /** An admin sets it (the data worker asks this only for an admin, as with the FHIR server). */
  'hl7Endpoint.set': method(hl7EndpointInputSchema, hl7EndpointSummarySchema),
  /** Opens an MLLP connection to it and closes it: reachable, or the plain reason it is not. */
  'hl7Endpoint.test': method(z.object({}).strict(), z.object({}).strict()),
  /** Sends one ORU^R01 over MLLP and waits for its acknowledgement (ApiError `unavailable` when the endpoint cannot be reached or does not answer). */
  'hl7.send': method(z.object({ message: z.string().min(8).max(maxHl7MessageChars).startsWith('MSH|') }).strict(), hl7AckSchema),
  /** Queues de-identified Bundles and withdrawal notices for the Open Data Hub (the data worker made them; main/odh/contribution-queue.ts). */
  'odh.enqueue': method(z.object({ items: z.array(odhQueueItemInputSchema).min(1).max(20) }).strict(), z.object({ ids: z.array(z.string()) }).strict()),
  /** What the queue holds: waiting, delivered (with the hub's receipt), refused (with the hub's reason). */
  'odh.status': method(z.object({}).strict(), odhQueueStatusSchema),
  /** Whether this workstation has its region's road graph to route on (main/region/region-service.ts). */
  'region.status': method(z.object({}).strict(), regionStatusSchema),
  /** Asks the hub for a newer graph now (it is also asked at start and every few hours). */
  'region.refresh': method(z.object({}).strict(), regionStatusSchema),
  /** The route between two points, shortest or fastest, with its line; or why there is none. */
  'region.route': method(routeParamsSchema, routeAnswerSchema),
  /** Places (facilities) ranked from a point by road, and by straight line. */
  'region.rank': method(rankParamsSchema, rankAnswerSchema),
  /** The region's basemap (roads by class, water, places) as GeoJSON features, a page at a time. */
  'region.basemap': method(z.object({ offset: z.number().int().nonnegative(), limit: z.number().int().min(1).max(maxBasemapFeatures) }).strict(), basemapPageSchema),
  /** The optional map background (a PMTiles archive of raster tiles) this workstation has, if any (main/region/tile-archive.ts). */
  'region.tiles': method(z.object({}).strict(), tileArchiveStatusSchema),
  /** Adds one from a file on this computer, checked and copied into the data folder; it replaces the one before. */
  'region.tilesAdd': method(tileArchiveAddSchema, tileArchiveStatusSchema),
  'region.tilesRemove': method(z.object({}).strict(), tileArchiveStatusSchema),
  /** A byte range of the archive named by its key, for the map's PMTiles reader. */
  'region.tilesRead': method(tileReadParamsSchema, tileReadAnswerSchema),
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
export const methodNames = Object.keys(api) as MethodName[];
export type ParamsOf<M extends MethodName> = z.input<Api[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Api[M]['result']>;
export type TransportKind = (typeof transportKinds)[number];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

/**
 * One topic of events: the schema each of its payloads is validated against on
 * arrival, and the plain words a listener gets instead of an event that breaks
 * it. A payload carries its own `event` name, so a listener tells it from the
 * client's `unreadable` report.
 */
const topic = <P extends z.ZodType<{ event: string }>>(payload: P, unreadable: string) => ({ payload, unreadable });

/**
 * What the main process tells the renderer without being asked, by topic,
 * declared beside the methods. Both transports carry every topic alike and the
 * client validates each against its own schema, so a new topic (export,
 * import or sync progress) is one entry here.
 */
export const events = {
  devices: topic(deviceEventSchema, unreadableDeviceEventMessage),
} as const;

export type Events = typeof events;
export type EventTopic = keyof Events;
export type EventOf<T extends EventTopic> = z.output<Events[T]['payload']>;

export function isEventTopic(name: string): name is EventTopic {
  return Object.prototype.hasOwnProperty.call(events, name);
}
