/**
 * With OTEL_* unset the OpenTelemetry SDK is never loaded: no module that the entry points import
 * statically (following `import` statements only, not `import()`) imports an @opentelemetry
 * package; the SDK comes in through serve()'s dynamic import of src/tracing/start.ts alone.
 */
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY_POINTS = ['src/main.ts', 'src/gateway/cli.ts', 'src/mock/cli.ts'];

/** The project files reached from the entry points through static imports, and those reached only dynamically. */
function reach(metafile: Metafile) {
  const statically = new Set<string>();
  const dynamically = new Set<string>();
  const visit = (file: string) => {
    if (statically.has(file)) return;
    statically.add(file);
    for (const i of metafile.inputs[file]?.imports ?? []) {
      if (i.external) continue;
      if (i.kind === 'dynamic-import') dynamically.add(i.path);
      else visit(i.path);
    }
  };
  for (const entry of ENTRY_POINTS) visit(entry);
  return { statically, dynamically: [...dynamically].filter((f) => !statically.has(f)) };
}

const openTelemetryImports = (metafile: Metafile, files: Iterable<string>) =>
  [...files].flatMap((file) => (metafile.inputs[file]?.imports ?? []).filter((i) => i.external && i.path.startsWith('@opentelemetry/')).map((i) => `${file} → ${i.path}`));

it('loads no @opentelemetry package from a static import of any entry point; src/tracing/start.ts brings them in dynamically', async () => {
  const { metafile } = await build({ absWorkingDir: ROOT, entryPoints: ENTRY_POINTS, bundle: true, packages: 'external', platform: 'node', format: 'esm', write: false, metafile: true, outdir: 'out', logLevel: 'silent' });
  const { statically, dynamically } = reach(metafile);
  expect(statically.has('src/pipeline/pipeline.ts')).toBe(true);
  expect(openTelemetryImports(metafile, statically)).toEqual([]);
  expect(dynamically).toContain('src/tracing/start.ts');
  expect(openTelemetryImports(metafile, Object.keys(metafile.inputs)).some((line) => line.startsWith('src/tracing/start.ts → @opentelemetry/sdk-trace'))).toBe(true);
});
