// renderer-no-node-packages: ws
import { WebSocketServer } from 'ws';

export const server = WebSocketServer;
