// Regenerates generated/ into a scratch folder and fails when it differs from the committed copy.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upstreamTypes } from './upstream-operations.mjs';

const root = new URL('..', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'specgate-gen-'));
const HEADER = '// generated — do not edit. Source: openapi.yaml; regenerate with `npm run generate`.\n';
try {
  execFileSync(
    join(root, 'node_modules/.bin/openapi-typescript'),
    ['openapi.yaml', '--redocly', 'scripts/redocly.generate.yaml', '--default-non-nullable', 'false', '--output', join(scratch, 'api.ts')],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const fresh = HEADER + readFileSync(join(scratch, 'api.ts'), 'utf8');
  const committed = readFileSync(join(root, 'generated/api.ts'), 'utf8');
  const upstreamStale = HEADER + upstreamTypes(join(root, 'openapi.yaml')) !== readFileSync(join(root, 'generated/upstream.ts'), 'utf8');
  const stale = fresh !== committed || upstreamStale;
  const extra = readdirSync(join(root, 'generated')).filter((f) => !['api.ts', 'upstream.ts'].includes(f) && f.endsWith('.ts'));
  if (stale) {
    console.error('generated/ is stale against openapi.yaml: run `npm run generate` and commit the result.');
    process.exit(1);
  }
  if (extra.length > 0) console.log(`generated/ also holds ${extra.join(', ')} (not produced by openapi-typescript).`);
  console.log('generated/ is up to date with openapi.yaml.');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
