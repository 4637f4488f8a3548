// `npm start`, `npm run mock`, `npm run gateway`, `npm run db:migrate`, `npm run cors:doctor`:
// `node scripts/run-built.mjs src/main.js [args…]` checks dist/ against the sources (building it
// when missing or stale, scripts/ensure-build.mjs) and then runs dist/<entry> in this same process,
// with the entry as process.argv[1] and the arguments after it, as `node dist/<entry>` would.
// One Node start instead of an npm pre-script's second one (npm's lifecycle step alone cost about
// 0.3 s of `npm start`), and the script is `exec`ed, so npm's SIGTERM/SIGINT reach the server.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST } from './build-inputs.mjs';
import { ensureBuild } from './ensure-build.mjs';

const [entry, ...args] = process.argv.slice(2);
if (entry === undefined || !/^src\/[\w/-]+\.js$/.test(entry)) {
  process.stderr.write('usage: node scripts/run-built.mjs src/<entry>.js [arguments]\n');
  process.exit(2);
}
const code = await ensureBuild();
if (code !== 0) process.exit(code);
const compiled = join(DIST, entry);
// What the entry (and cluster.fork, which re-runs process.argv[1] in each worker) sees.
process.argv.splice(1, process.argv.length - 1, compiled, ...args);
await import(pathToFileURL(compiled).href);
