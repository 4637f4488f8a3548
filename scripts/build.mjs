// `npm run build`: transpiles src/ (tests excluded) to dist/ with esbuild, one .js and one source
// map per file, copies the run-time assets beside them (openapi.yaml also parsed, as JSON), and
// makes the migrated PGlite snapshot a new embedded database starts from (src/db/pglite-snapshot.ts),
// and stamps dist/ with the inputs' digest.
// Type checking is `npm run typecheck`; this only emits.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { assets, DIST, inputsDigest, ROOT, sources, STAMP } from './build-inputs.mjs';

const started = Date.now();
rmSync(DIST, { recursive: true, force: true });
const files = sources();
await build({
  absWorkingDir: ROOT,
  entryPoints: files,
  outdir: DIST,
  outbase: '.',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
for (const asset of assets()) {
  mkdirSync(dirname(join(DIST, asset)), { recursive: true });
  copyFileSync(join(ROOT, asset), join(DIST, asset));
}
// openapi.yaml already parsed, tied to its text by a digest (loadContract in src/contract/spec.ts):
// the server starts without loading the YAML parser.
const spec = readFileSync(join(ROOT, 'openapi.yaml'), 'utf8');
writeFileSync(join(DIST, 'openapi.yaml.json'), JSON.stringify({ sha256: createHash('sha256').update(spec).digest('hex'), document: parse(spec) }));
// Built from the compiled modules and the copied migrations, so it matches what dist/ runs; kept in
// node_modules/.cache/specgate (shared with the tests) so a rebuild with the same migrations and
// PGlite version copies it instead of taking seconds to make it again.
const snapshotStarted = Date.now();
const cached = execFileSync(process.execPath, [join(ROOT, 'scripts/pglite-snapshot.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
const snapshot = join(DIST, 'src/db', basename(cached));
copyFileSync(cached, snapshot);
writeFileSync(STAMP, `${inputsDigest()}\n`);
console.log(`built dist/: ${files.length} modules, ${assets().length} assets, ${relative(DIST, snapshot)} (${Date.now() - snapshotStarted} ms) in ${Date.now() - started} ms`);
