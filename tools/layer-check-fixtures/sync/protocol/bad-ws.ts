// sync-protocol-no-node-packages: ws
import WebSocket from 'ws';

export const socket = WebSocket;
