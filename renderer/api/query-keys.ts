/** TanStack Query keys shared by the screens that read the same data. */
export const queryKeys = {
  settings: ['settings.get'],
  systemInfo: ['system.info'],
  /** This workstation's hub link (no patient data). */
  hubStatus: ['hub.status'],
  /** The FHIR server pushes go to (address and kind of authentication; no secret). */
  fhirServer: ['fhirServer.get'],
  /** The HL7 v2 endpoint visits' results go to (no secret: MLLP has none). */
  hl7Endpoint: ['hl7Endpoint.get'],
  /** The map background this workstation has (a PMTiles archive; no patient data). */
  tileArchive: ['region', 'tiles'],
} as const;
