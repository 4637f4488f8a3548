// `prestart` (and the other compiled commands' pre-scripts): rebuilds dist/ when it is missing or no
// longer matches the sources, so a fresh clone's `npm install && npm start` needs no other step.
// After `npm prune --omit=dev` the build tools are gone: an up-to-date dist/ runs as is, a stale one
// stops with what to do; a deployment that ships dist/ without src/ runs what it ships.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { haveSources, inputsDigest, ROOT, STAMP } from './build-inputs.mjs';

if (!haveSources()) process.exit(existsSync(STAMP) ? 0 : fail('neither src/ nor a built dist/ is here.'));
const built = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : undefined;
if (built === inputsDigest()) process.exit(0);

let haveEsbuild = true;
try {
  createRequire(join(ROOT, 'package.json')).resolve('esbuild');
} catch {
  haveEsbuild = false;
}
if (!haveEsbuild) {
  process.exit(fail(`dist/ is ${built ? 'older than the sources' : 'missing'} and esbuild (a dev dependency) is not installed: run \`npm run build\` before \`npm prune --omit=dev\`.`));
}
await import('./build.mjs');

function fail(message) {
  process.stderr.write(`specgate: ${message}\n`);
  return 1;
}
