import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __APP_NAME__: JSON.stringify('Clinic Workstation'), __APP_VERSION__: JSON.stringify('0.0.0-test') },
  test: {
    include: ['{app,main,renderer,device-bridge,sync,tools,e2e}/**/*.test.{ts,tsx}'],
    // Deliberately bad imports for the layer check: read by dependency-cruiser, never run.
    exclude: ['tools/layer-check-fixtures/**', 'node_modules/**'],
    environment: 'node',
  },
});
