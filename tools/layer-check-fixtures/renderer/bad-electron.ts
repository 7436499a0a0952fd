// renderer-no-node-packages: electron
import { ipcRenderer } from 'electron';

export const ipc = ipcRenderer;
