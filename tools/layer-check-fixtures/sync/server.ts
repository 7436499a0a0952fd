// Allowed: app/, own files, Node built-ins and Node-only packages.
import { createHash } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { helper } from '../app/helper';
import { pull } from './client/ok';

export const serve = (): WebSocketServer => {
  createHash('sha256').update(helper(' x ')).digest('hex');
  void pull();
  return new WebSocketServer({ noServer: true });
};
