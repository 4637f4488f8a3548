// Rebuilds dist/ when it is missing or no longer matches the sources, so a fresh clone's
// `npm install && npm start` needs no other step (scripts/run-built.mjs calls it in-process; run
// as a script, it is the bench's build check). After `npm prune --omit=dev` the build tools are
// gone: an up-to-date dist/ runs as is, a stale one stops with what to do; a deployment that ships
// dist/ without src/ runs what it ships.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { haveSources, inputsDigest, ROOT, STAMP } from './build-inputs.mjs';

/** Checks dist/ against the sources and builds it when needed; resolves to an exit code (0: dist/ is ready to run). */
export async function ensureBuild() {
  if (!haveSources()) return existsSync(STAMP) ? 0 : fail('neither src/ nor a built dist/ is here.');
  const built = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : undefined;
  if (built === inputsDigest()) return 0;
  try {
    createRequire(join(ROOT, 'package.json')).resolve('esbuild');
  } catch {
    return fail(`dist/ is ${built ? 'older than the sources' : 'missing'} and esbuild (a dev dependency) is not installed: run \`npm run build\` before \`npm prune --omit=dev\`.`);
  }
  await import('./build.mjs');
  return 0;
}

function fail(message) {
  process.stderr.write(`specgate: ${message}\n`);
  return 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await ensureBuild();
