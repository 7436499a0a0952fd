import { defineConfig } from 'vite';

// Builds the benchmark page only; never part of the shipped renderer.
export default defineConfig({
  root: 'tools/bench',
  base: '/',
  build: { outDir: '../../dist/bench', emptyOutDir: true, target: 'chrome120' },
  logLevel: 'warn',
});
