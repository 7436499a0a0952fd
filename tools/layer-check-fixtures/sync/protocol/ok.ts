// Allowed: app/ and the protocol's own files (shared by hub, client and main/).
import { helper } from '../../app/helper';

export const databaseName = (clinicId: string): string => helper(`${clinicId}-records`);
