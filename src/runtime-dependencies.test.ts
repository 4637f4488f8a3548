/**
 * The compiled commands run after `npm prune --omit=dev`: every package the code reachable from
 * their entry points imports (statically or dynamically) must be a runtime dependency.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY_POINTS = ['src/main.ts', 'src/mock/cli.ts', 'src/db/migrate-cli.ts', 'src/doctor/main.ts'];

const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

it('every package the compiled commands import is in dependencies, not devDependencies', async () => {
  const { metafile } = await build({ absWorkingDir: ROOT, entryPoints: ENTRY_POINTS, bundle: true, packages: 'external', platform: 'node', format: 'esm', write: false, metafile: true, outdir: 'out', logLevel: 'silent' });
  const imported = new Set(
    Object.values(metafile.inputs)
      .flatMap((input) => input.imports)
      .filter((i) => i.external && !i.path.startsWith('node:') && !builtinModules.includes(i.path))
      .map((i) => packageOf(i.path)),
  );
  const { dependencies } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { dependencies: Record<string, string> };
  expect(imported.size).toBeGreaterThan(0);
  expect([...imported].filter((name) => !(name in dependencies)).sort()).toEqual([]);
});
