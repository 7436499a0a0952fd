import { contextBridge, ipcRenderer } from 'electron';
import { ipcEventChannel } from '../../app/contract/device-events';
import { ipcChannel, type ClinicBridge } from '../../app/contract/envelope';

// The renderer gets exactly two functions: send a contract envelope and get
// the answer; follow events. No ipcRenderer, no channels of its choosing, no Node.
const bridge = {
  invoke: (request) => ipcRenderer.invoke(ipcChannel, request),
  onEvent: (listener) => {
    const forward = (_event: unknown, envelope: unknown) => listener(envelope);
    ipcRenderer.on(ipcEventChannel, forward);
    return () => void ipcRenderer.off(ipcEventChannel, forward);
  },
} satisfies ClinicBridge;

contextBridge.exposeInMainWorld('clinicBridge', bridge);
