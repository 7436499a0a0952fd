import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer build. Root-absolute asset paths work at any route depth, from
// Electron's app:// origin and from the browser-mode host alike.
export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true, target: 'chrome120' },
});
