// The Electron composition root: the one file that imports Electron's main
// process API. Everything it wires is a plain function tested under Node.
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import { drivers } from '../../device-bridge/drivers/registry';
import { nodeHidFactory } from '../../device-bridge/transports/node-hid-factory';
import { serialportFactory } from '../../device-bridge/transports/serialport-factory';
import { appIdentity } from '../app-identity';
import { createWorkstation } from '../compose';
import { contentTypes } from '../host/static-server';
import { registerDataPorts, registerIpcApi, sendIpcEvents } from '../ipc/ipc-transport';
import { createLogger } from '../../app/log/logger';
import { appEntryUrl, appScheme } from '../security/app-origin';
import { confinePath } from '../security/confine-path';
import { buildCsp, securityHeaders } from '../security/csp';
import { guardSession, guardWebContents } from '../security/guards';
import { mainWindowOptions } from '../security/window-options';

const log = createLogger((line) => process.stderr.write(line));
const rendererDir = join(__dirname, '..', 'renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

// One window; a second launch focuses it instead of opening another store.
if (!app.requestSingleInstanceLock()) app.quit();

async function serveAppFile(request: Request): Promise<Response> {
  const file = confinePath(rendererDir, new URL(request.url).pathname);
  if (!file) return new Response(null, { status: 400 });
  const body = await readFile(file).catch(() => readFile(join(rendererDir, 'index.html')));
  const type = contentTypes[extname(file)] ?? 'text/html; charset=utf-8';
  return new Response(new Uint8Array(body), { headers: { 'Content-Type': type, ...securityHeaders(buildCsp()) } });
}

async function start(): Promise<void> {
  await app.whenReady();
  protocol.handle(appScheme, serveAppFile);
  guardSession(session.defaultSession, buildCsp());
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));

  const workstation = await createWorkstation({
    dataDir: app.getPath('userData'),
    log,
    devices: { serial: serialportFactory, hid: nodeHidFactory, drivers },
    system: { ...appIdentity, versions: process.versions, platform: process.platform, arch: process.arch },
    chooseExportPlace: async () => {
      const options = { title: 'Choose where to save the FHIR export', buttonLabel: 'Save the export here', properties: ['openDirectory' as const, 'createDirectory' as const] };
      const focused = BrowserWindow.getFocusedWindow();
      const chosen = focused ? await dialog.showOpenDialog(focused, options) : await dialog.showOpenDialog(options);
      return chosen.canceled ? undefined : chosen.filePaths[0];
    },
  });
  registerIpcApi(ipcMain, workstation.dispatcher);
  registerDataPorts(ipcMain, workstation.dispatcher);

  const window = new BrowserWindow(mainWindowOptions(join(__dirname, 'preload.cjs')));
  sendIpcEvents(window.webContents, workstation);
  app.on('before-quit', () => void workstation.close());
  window.once('ready-to-show', () => window.show());
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  await window.loadURL(appEntryUrl);
}

app.on('window-all-closed', () => app.quit());
start().catch((error: unknown) => {
  log.error('startup_failed', { error: error instanceof Error ? error.name : typeof error });
  app.exit(1);
});
