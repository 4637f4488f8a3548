/**
 * The README, docs/ and the code's comments point only at files that exist in this repository,
 * and docs/architecture.md names no dependency the project no longer has.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? files(path) : /\.(ts|md)$/.test(name) ? [path] : [];
  });
}

it('every Markdown file the README, docs/ or src/ mentions exists', () => {
  const sources = ['README.md', ...files('docs'), ...files('src')];
  const missing = sources.flatMap((source) =>
    [...readFileSync(join(ROOT, source), 'utf8').matchAll(/(?<![\w/.-])((?:\.\.\/)*[\w./-]*\b[\w-]+\.md)\b/g)]
      .map((m) => m[1]!)
      .filter((ref) => !ref.startsWith('http') && !existsSync(join(ROOT, ref)) && !existsSync(join(ROOT, source, '..', ref)))
      .map((ref) => `${relative(ROOT, join(ROOT, source))}: ${ref}`),
  );
  expect(missing).toEqual([]);
});

it('docs/architecture.md claims no dependency package.json does not have', () => {
  const { dependencies, devDependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
  const declared = new Set(Object.keys({ ...dependencies, ...devDependencies }));
  const text = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  expect(/openapi-backend remains/.test(text) && !declared.has('openapi-backend')).toBe(false);
});
