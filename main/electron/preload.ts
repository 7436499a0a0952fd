import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannel, type ClinicBridge } from '../../app/contract/envelope';

// The renderer gets exactly one function: send a contract envelope, get the
// answer. No ipcRenderer, no channels of its choosing, no Node.
const bridge = {
  invoke: (request) => ipcRenderer.invoke(ipcChannel, request),
} satisfies ClinicBridge;

contextBridge.exposeInMainWorld('clinicBridge', bridge);
