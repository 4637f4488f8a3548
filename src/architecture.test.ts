/**
 * The layering rules of docs/architecture.md, checked on the source so they keep holding: the
 * pipeline is generic (it imports nothing from db/, gateway/, handlers/ or mock/); the gateway and
 * the mock import nothing of the Tasks API (app.ts, handlers/, db/); every ApiError is made by the
 * catalogue in src/errors.ts; the uniform error body is written by the one renderer, which tsc
 * refuses once the spec's Error schema gains a required field it does not fill.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

/** Every product source file under src/ (tests, type tests and test fixtures left out). */
function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !/\.(test|typetest|typecheck)\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The src/-relative files a source imports (static and dynamic imports of relative paths). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\()\s*'(\.[^']+)'/g)].map((m) => m[1]!);
  return specs.map((spec) => relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts'));
}

const RULES: readonly { readonly folder: string; readonly forbidden: readonly string[] }[] = [
  { folder: 'pipeline/', forbidden: ['db/', 'gateway/', 'handlers/', 'mock/', 'app.ts'] },
  { folder: 'gateway/', forbidden: ['app.ts', 'handlers/', 'db/'] },
  { folder: 'mock/', forbidden: ['app.ts', 'handlers/', 'db/'] },
  { folder: 'serve/', forbidden: ['app.ts', 'handlers/', 'db/', 'gateway/', 'mock/'] },
];

describe('the layering of src/', () => {
  for (const { folder, forbidden } of RULES) {
    it(`src/${folder} imports nothing from ${forbidden.join(', ')}`, () => {
      const offending = sources()
        .filter((file) => relative(SRC, file).startsWith(folder))
        .flatMap((file) => importsOf(file).filter((target) => forbidden.some((f) => target === f || target.startsWith(f))).map((target) => `${relative(SRC, file)} → ${target}`));
      expect(offending).toEqual([]);
    });
  }

  it('finds an offending import when there is one (the check itself works)', () => {
    const dir = mkdtempSync(join(SRC, '.arch-'));
    try {
      const file = join(dir, 'probe.ts');
      writeFileSync(file, "import { x } from '../db/errors.js';\n");
      expect(importsOf(file)).toEqual(['db/errors.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes every ApiError in the catalogue (src/errors.ts), nowhere else', () => {
    const outside = sources().filter((file) => !file.endsWith(join('src', 'errors.ts')) && /new ApiError\(/.test(readFileSync(file, 'utf8')));
    expect(outside.map((file) => relative(SRC, file))).toEqual([]);
  });

  it('writes the uniform error body in the renderer (src/pipeline/error-body.ts) only', () => {
    const writers = sources().filter((file) => /\bstatus_code\s*:/.test(readFileSync(file, 'utf8')));
    expect(writers.map((file) => relative(SRC, file))).toEqual(['pipeline/error-body.ts']);
  });
});

describe('the error renderer is typed against the spec', () => {
  /** Runs tsc on a copy of the renderer and the catalogue whose generated Error schema is rewritten by `edit`; the compiler's output, empty when it passes. */
  function typecheckWith(edit: (generated: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'specgate-error-schema-'));
    try {
      for (const folder of ['generated', 'src/pipeline']) mkdirSync(join(dir, folder), { recursive: true });
      // The renderer and what it imports: the catalogue, which imports only generated/.
      for (const file of ['src/pipeline/error-body.ts', 'src/errors.ts']) cpSync(join(ROOT, file), join(dir, file));
      writeFileSync(join(dir, 'generated', 'api.ts'), edit(readFileSync(join(ROOT, 'generated', 'api.ts'), 'utf8')));
      const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const args = [tsc, '--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules', '@types')];
      try {
        execFileSync(process.execPath, [...args, join(dir, 'src', 'pipeline', 'error-body.ts')], { cwd: dir, encoding: 'utf8' });
        return '';
      } catch (error) {
        return String((error as { stdout?: string }).stdout);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('compiles against the Error schema as it is', () => {
    expect(typecheckWith((generated) => generated)).toBe('');
  }, 60_000);

  it('is refused by tsc, at the renderer, once Error gains a required field', () => {
    const output = typecheckWith((generated) => generated.replace(/(\n\s+Error: \{\n)/, '$1            trace_id: string;\n'));
    expect(output).toMatch(/src\/pipeline\/error-body\.ts\(\d+,\d+\): error TS2741: Property 'trace_id' is missing/);
  }, 60_000);
});
