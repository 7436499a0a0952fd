// `npm start`: launches the desktop app. Where the Electron binary cannot be
// obtained (as on our build machines, which cannot download it), says so in
// one line and names browser mode instead of printing a stack trace.
import { spawn, spawnSync } from 'node:child_process';

const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("electron"))'], {
  encoding: 'utf8',
  timeout: 180_000,
});
const binary = probe.status === 0 ? probe.stdout.trim() : '';
if (!binary) {
  console.error('Electron could not be obtained on this machine (its download failed); run the app in browser mode instead: npm run serve -- --port 8080');
  process.exit(1);
}
const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
