/** Entry point of `npm run diff` (src/diff/run.ts): the only file of the check with side effects. */
import { ConfigError, loadSpecFetchConfig } from '../config/index.js';
import { runDiff } from './run.js';

let fetchTimeoutMs: number;
try {
  fetchTimeoutMs = loadSpecFetchConfig().timeoutMs;
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`diff: ${error.problems.join(' ')}\n`);
  process.exit(2);
}
process.exitCode = await runDiff(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}, { fetchTimeoutMs });
