// Allowed: other app/ files and platform-neutral npm packages.
import { z } from 'zod';
import { helper } from './helper';

export const patientId = z.string().min(1).transform(helper);
