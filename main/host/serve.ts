// The browser-mode host as shipped (`npm run serve`; dist/host/serve.mjs).
import { runHostCli } from './cli';

void runHostCli();
