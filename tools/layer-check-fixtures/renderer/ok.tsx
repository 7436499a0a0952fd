// Allowed: app/, sync/client/, browser npm packages, own files.
import { useState } from 'react';
import { patientId } from '../app/ok';
import { pull } from '../sync/client/ok';
import { x } from './x';

export function Ok(): number {
  const [value] = useState(x);
  patientId.parse('p');
  void pull();
  return value;
}
