import type { Device, Location, Organization, Reference, Resource } from '@medplum/fhirtypes';
import type { DeviceIdentity } from '../../devices/decoded-item';
import type { RecordedObservation } from '../../observations/observation';
import { deviceIdCache, toFhirDevice, toFhirWorkstation, workstationDeviceIdOf, type WorkstationInput } from '../device';
import { locationIdOf, toFhirLocation } from '../location';
import { organizationIdOf, toFhirOrganization, type ClinicInput } from '../organization';
import { referenceTo } from '../reference';
import { practitionerIdOf, practitionerRoleIdOf, toFhirPractitioner, toFhirPractitionerRole, type StaffForExport } from '../practitioner';

/**
 * What every export holds whatever its scope, first: the clinic (Organization
 * and its Location), its workstations (Devices that Provenance names), and
 * its staff (Practitioner and PractitionerRole; never a key, nor a username).
 * Servers that check references (HAPI does) need them before the records
 * that point at them, and a PUT of the same resource again changes nothing.
 */

export interface ClinicExportInput {
  clinic: ClinicInput;
  staff: readonly StaffForExport[];
  workstations: readonly WorkstationInput[];
}

export interface ClinicReferences {
  organization: Reference<Organization>;
  location: Reference<Location>;
  /** A workstation's Device, by the workstation id (a record's clock names the workstation that wrote it). */
  workstation(workstationId: string): Promise<Reference<Device>>;
}

export async function clinicResources(input: ClinicExportInput): Promise<{ resources: Resource[]; references: ClinicReferences }> {
  const organization = toFhirOrganization(input.clinic, { id: await organizationIdOf(input.clinic) });
  const organizationRef = referenceTo(organization);
  const location = toFhirLocation(input.clinic, { id: await locationIdOf(input.clinic), managingOrganization: organizationRef });
  const locationRef = referenceTo(location);
  const workstations = await Promise.all(input.workstations.map((workstation) => workstationDevice(workstation, organizationRef)));
  const staff = await Promise.all(
    input.staff.map(async (person) => {
      const practitioner = toFhirPractitioner(person, { id: await practitionerIdOf(person) });
      const role = toFhirPractitionerRole(person, { id: await practitionerRoleIdOf(person), practitioner: referenceTo(practitioner), organization: organizationRef, location: locationRef });
      return [practitioner, role];
    }),
  );
  return {
    resources: [organization, location, ...workstations, ...staff.flat()],
    references: {
      organization: organizationRef,
      location: locationRef,
      workstation: async (workstationId) => ({ reference: `Device/${await workstationDeviceIdOf(workstationId)}` }),
    },
  };
}

/** A workstation as the Device Provenance names (owned by the clinic). */
export async function workstationDevice(workstation: WorkstationInput, owner: Reference<Organization>): Promise<Device> {
  return toFhirWorkstation(workstation, { id: await workstationDeviceIdOf(workstation.workstationId), owner });
}

/**
 * The Devices the readings came from, one per device (readings refer to them
 * by `deviceIdOf`). `known` holds the ids already exported, and gains these:
 * an export in batches sends each Device once.
 */
export async function readingDevices(readings: readonly RecordedObservation[], known: Set<string>): Promise<Device[]> {
  const devices: Device[] = [];
  const deviceId = deviceIdCache();
  for (const reading of readings) {
    if (reading.source.type !== 'device') continue;
    const identity: DeviceIdentity = reading.source.device;
    const id = await deviceId(identity);
    if (known.has(id)) continue;
    known.add(id);
    devices.push(toFhirDevice(identity, { id }));
  }
  return devices;
}
