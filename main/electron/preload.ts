import { contextBridge, ipcRenderer } from 'electron';
import { dataPortChannel, ipcChannel, ipcEventChannel, type ClinicBridge } from '../../app/contract/envelope';

// The renderer gets exactly three functions: send a contract envelope and get
// the answer; follow events; open the data worker's port. No ipcRenderer, no
// channels of its choosing, no Node.
const bridge = {
  invoke: (request) => ipcRenderer.invoke(ipcChannel, request),
  onEvent: (listener) => {
    const forward = (_event: unknown, envelope: unknown) => listener(envelope);
    ipcRenderer.on(ipcEventChannel, forward);
    return () => void ipcRenderer.off(ipcEventChannel, forward);
  },
  // A port cannot pass through contextBridge: one end goes to the main process, the other to the page by postMessage.
  openDataPort: () => {
    const { port1, port2 } = new MessageChannel();
    ipcRenderer.postMessage(dataPortChannel, null, [port1]);
    window.postMessage({ type: dataPortChannel }, window.location.origin, [port2]);
  },
} satisfies ClinicBridge;

contextBridge.exposeInMainWorld('clinicBridge', bridge);
