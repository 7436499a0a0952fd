import type { Device, Organization, Reference } from '@medplum/fhirtypes';
import type { DeviceIdentity } from '../devices/decoded-item';
import type { DriverId } from '../devices/driver-ids';
import { derivedId, fhirIdFor, requireFhirId } from './ids';
import { DEVICE_DRIVER, WORKSTATION_ID } from './systems';

/**
 * Devices as FHIR Devices: the meters and monitors a reading came from, and
 * the workstation an act happened on (Provenance and AuditEvent name it).
 */

/** What each driver reads, in words for a receiver's screen. */
const deviceKinds: Readonly<Record<DriverId, string>> = {
  cms50d: 'Pulse oximeter',
  'contour-next': 'Blood glucose meter',
  freestyle: 'Blood glucose meter',
  'onetouch-ultra2': 'Blood glucose meter',
  'hid-scale': 'Weighing scale',
};

/**
 * A device has no store record, so its id is derived from what identifies it:
 * the same device gets the same Device on every export and workstation.
 * Devices that report no serial number share one Device per driver, maker
 * and model, since nothing tells them apart.
 */
export function deviceIdOf(identity: DeviceIdentity): Promise<string> {
  return derivedId('device', identity.driver, identity.manufacturer, identity.model, identity.serial ?? '');
}

/**
 * `deviceIdOf` computed once per device, however many readings it made: for
 * one mapping or one batch of an export.
 */
export function deviceIdCache(): (identity: DeviceIdentity) => Promise<string> {
  const ids = new Map<string, Promise<string>>();
  return (identity) => {
    const key = JSON.stringify([identity.driver, identity.manufacturer, identity.model, identity.serial ?? null]);
    const id = ids.get(key) ?? deviceIdOf(identity);
    ids.set(key, id);
    return id;
  };
}

/**
 * Manufacturer, model and serial number. The driver is the type's coding, so
 * an import can rebuild the device identity; empty texts are left out (FHIR
 * has no empty strings).
 */
export function toFhirDevice(identity: DeviceIdentity, context: { id: string }): Device {
  return {
    resourceType: 'Device',
    id: requireFhirId(context.id, 'device id'),
    type: { coding: [{ system: DEVICE_DRIVER, code: identity.driver }], text: deviceKinds[identity.driver] },
    ...(identity.manufacturer === '' ? {} : { manufacturer: identity.manufacturer }),
    ...(identity.model === '' ? {} : { deviceName: [{ name: identity.model, type: 'model-name' as const }] }),
    ...(identity.serial === undefined || identity.serial === '' ? {} : { serialNumber: identity.serial }),
  };
}

/** A workstation's Device id: its own id when FHIR allows it (`ws-<hex>` does). */
export function workstationDeviceIdOf(workstationId: string): Promise<string> {
  return fhirIdFor('ws', workstationId);
}

export interface WorkstationInput {
  workstationId: string;
  /** The name given at enrollment ("Front desk"), when the workstation's record is known. */
  name?: string | undefined;
}

export interface WorkstationContext {
  id: string;
  /** The clinic that runs it. */
  owner?: Reference<Organization> | undefined;
}

/** A clinic workstation: the machine records were entered on. */
export function toFhirWorkstation(workstation: WorkstationInput, context: WorkstationContext): Device {
  return {
    resourceType: 'Device',
    id: requireFhirId(context.id, 'workstation device id'),
    identifier: [{ system: WORKSTATION_ID, value: workstation.workstationId }],
    type: { text: 'Clinic workstation' },
    ...(workstation.name === undefined || workstation.name === '' ? {} : { deviceName: [{ name: workstation.name, type: 'user-friendly-name' as const }] }),
    ...(context.owner === undefined ? {} : { owner: context.owner }),
  };
}
