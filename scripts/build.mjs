// `npm run build`: transpiles src/ (tests excluded) to dist/ with esbuild, one .js and one source
// map per file, copies the run-time assets beside them, and stamps dist/ with the inputs' digest.
// Type checking is `npm run typecheck`; this only emits.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
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
writeFileSync(STAMP, `${inputsDigest()}\n`);
console.log(`built dist/: ${files.length} modules, ${assets().length} assets in ${Date.now() - started} ms`);
