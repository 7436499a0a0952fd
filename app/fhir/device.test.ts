import type { Device } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { deviceIdOf, toFhirDevice, toFhirWorkstation, workstationDeviceIdOf } from './device';
import { oximeter, workstationId } from './test-support';

describe('toFhirDevice', () => {
  it('gives the kind of device, manufacturer, model name and serial number, with the driver as the type’s code', () => {
    expect(toFhirDevice(oximeter, { id: 'device-1' })).toEqual({
      resourceType: 'Device',
      id: 'device-1',
      type: { coding: [{ system: 'urn:clinic-workstation:device-driver', code: 'cms50d' }], text: 'Pulse oximeter' },
      manufacturer: 'Contec',
      deviceName: [{ name: 'CMS50D+', type: 'model-name' }],
      serialNumber: 'SN123',
    } satisfies Device);
  });

  it('leaves out what the device does not report (FHIR has no empty strings)', () => {
    const fhir = toFhirDevice({ driver: 'hid-scale', manufacturer: '', model: '' }, { id: 'device-2' });
    expect(fhir).toEqual({ resourceType: 'Device', id: 'device-2', type: { coding: [{ system: 'urn:clinic-workstation:device-driver', code: 'hid-scale' }], text: 'Weighing scale' } });
  });
});

describe('deviceIdOf', () => {
  it('gives the same device the same id on every export, and another serial another id', async () => {
    const id = await deviceIdOf(oximeter);
    expect(id).toMatch(/^device-[0-9a-f]{32}$/);
    expect(await deviceIdOf({ ...oximeter })).toBe(id);
    expect(await deviceIdOf({ ...oximeter, serial: 'SN124' })).not.toBe(id);
  });
});

describe('toFhirWorkstation', () => {
  it('names the workstation and its clinic, identified by its workstation id', async () => {
    const id = await workstationDeviceIdOf(workstationId);
    expect(id).toBe(workstationId);
    expect(toFhirWorkstation({ workstationId, name: 'Front desk' }, { id, owner: { reference: 'Organization/clinic-1' } })).toEqual({
      resourceType: 'Device',
      id: workstationId,
      identifier: [{ system: 'urn:clinic-workstation:workstation-id', value: workstationId }],
      type: { text: 'Clinic workstation' },
      deviceName: [{ name: 'Front desk', type: 'user-friendly-name' }],
      owner: { reference: 'Organization/clinic-1' },
    } satisfies Device);
  });

  it('derives an id for a workstation id FHIR refuses', async () => {
    expect(await workstationDeviceIdOf('ws_old_1')).toMatch(/^ws-[0-9a-f]{32}$/);
  });
});
