/** Entry point of `npm run diff` (src/diff/run.ts): the only file of the check with side effects. */
import { runDiff } from './run.js';

process.exitCode = await runDiff(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
