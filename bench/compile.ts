/**
 * Compiles the bench servers with the code they import (src/, generated/, bench/) to plain
 * JavaScript, as `npm run build` does for the server (esbuild, no keepNames), so that every
 * contender runs under plain `node` as `npm start` does: tsx's loader wraps each function it
 * creates in a `__name` call, which costs on closures made per request and would bill specgate
 * for a cost production does not have. Run-time assets are copied to the same relative paths.
 */
import { execSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';

/** Where the compiled bench lives (inside node_modules/.cache, so never committed). */
export const BENCH_BUILD = 'node_modules/.cache/specgate-bench';

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

/** Compiles everything the bench servers import from the tree at `root` into `out` (both relative to the cwd). */
export async function compileBench(out: string = BENCH_BUILD, root = '.'): Promise<string> {
  rmSync(out, { recursive: true, force: true });
  const entryPoints = ['src', 'generated', 'bench'].flatMap((d) => walk(join(root, d))).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'));
  await build({ entryPoints, outdir: out, outbase: root, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
  for (const asset of ['openapi.yaml', 'docs/api.html', ...walk(join(root, 'src/db/migrations')).filter((f) => f.endsWith('.sql')).map((f) => relative(root, f))]) {
    mkdirSync(dirname(join(out, asset)), { recursive: true });
    copyFileSync(join(root, asset), join(out, asset));
  }
  // The gateway's published docs page reads Redoc's bundle at a path relative to its own file (src/gateway/published.ts).
  const redoc = 'node_modules/@redocly/cli/lib/chunks/redoc.standalone.js';
  mkdirSync(dirname(join(out, redoc)), { recursive: true });
  copyFileSync(redoc, join(out, redoc));
  return out;
}

/** The compiled path of a bench script (`bench/servers/x.ts` → `<out>/bench/servers/x.js`). */
export const compiled = (script: string, out: string = BENCH_BUILD) => join(out, script.replace(/\.ts$/, '.js'));

/** Compiles `commit`'s tree (src, generated, bench and their assets) into `out`, beside this build's. */
export async function compileCommit(commit: string, out: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'specgate-base-'));
  try {
    execSync(`git archive ${commit} src generated bench openapi.yaml docs/api.html | tar -x -C ${dir}`, { stdio: 'inherit' });
    await compileBench(out, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
