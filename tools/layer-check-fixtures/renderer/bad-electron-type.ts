// renderer-no-node-packages: electron, even type-only
import type { IpcRenderer } from 'electron';

export type Ipc = IpcRenderer;
