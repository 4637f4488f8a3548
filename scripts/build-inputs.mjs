// What `npm run build` compiles and copies into dist/, and a digest of it, shared by the build and
// by the build check (scripts/ensure-build.mjs) that rebuilds only when dist/ no longer matches the sources.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = new URL('..', import.meta.url).pathname;
/** Where the compiled build goes (gitignored). */
export const DIST = join(ROOT, 'dist');
/** The file in dist/ holding the digest of the inputs it was built from. */
export const STAMP = join(DIST, '.build-digest');

// Tests, type-level tests, the test helpers and the frontend client (src/client) never run in the server.
const NOT_BUILT = /(\.test\.ts|\.typetest\.ts|\.typecheck\.ts|\.d\.ts)$/;
const NOT_BUILT_DIRS = new Set(['src/testing', 'src/client']);

function walk(dir) {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return NOT_BUILT_DIRS.has(rel) ? [] : walk(rel);
    return [rel];
  });
}

/** TypeScript sources compiled to dist/ (same relative paths, .js). */
export function sources() {
  return [...walk('src'), ...walk('generated')].filter((f) => f.endsWith('.ts') && !NOT_BUILT.test(f)).sort();
}

/** Redoc's standalone bundle as @redocly/cli ships it. */
const REDOC_BUNDLE = 'node_modules/@redocly/cli/lib/chunks/redoc.standalone.js';

/** Files the compiled code reads at run time, copied to the same relative path under dist/ so `new URL('…', import.meta.url)` resolves there. */
export function assets() {
  // Redoc's standalone bundle: the gateway's /docs page (src/gateway/published.ts); @redocly/cli is a devDependency.
  return ['openapi.yaml', 'docs/api.html', REDOC_BUNDLE, ...walk('src/db/migrations').filter((f) => f.endsWith('.sql'))].sort();
}

/**
 * A digest of every input (names and contents) and of the build scripts themselves. Assets copied
 * from node_modules are left out: package.json pins their versions, and a production install
 * (runtime dependencies only, scripts/check-production.sh) does not have the devDependencies they
 * come from, while dist/ already holds its copy.
 */
export function inputsDigest() {
  const hash = createHash('sha256');
  for (const file of [...sources(), ...assets().filter((asset) => !asset.startsWith('node_modules/')), 'scripts/build.mjs', 'scripts/build-inputs.mjs', 'scripts/pglite-snapshot.mjs', 'package.json']) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(ROOT, file)));
  }
  return hash.digest('hex');
}

/** Whether the sources are present at all (a deployment may ship dist/ without src/). */
export const haveSources = () => existsSync(join(ROOT, 'src/main.ts'));

