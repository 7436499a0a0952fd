// Prints one closing line for the whole test run, from the JSON reports the
// unit (Vitest) and end-to-end (Playwright) runners wrote into reports/.
import { readFileSync } from 'node:fs';

const read = (file) => JSON.parse(readFileSync(new URL(`../reports/${file}`, import.meta.url), 'utf8'));
const unit = read('unit.json');
const e2e = read('e2e.json');
const passed = unit.numPassedTests + e2e.stats.expected + e2e.stats.flaky;
const failed = unit.numFailedTests + e2e.stats.unexpected;
const skipped = unit.numPendingTests + unit.numTodoTests + e2e.stats.skipped;
process.stdout.write(`unit ${unit.numPassedTests} passed; end-to-end ${e2e.stats.expected + e2e.stats.flaky} passed\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
