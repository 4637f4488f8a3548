// Rebuilds the Redoc page into a scratch folder and fails when it differs from docs/api.html.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'specgate-docs-'));
try {
  execFileSync(
    join(root, 'node_modules/.bin/redocly'),
    ['build-docs', 'openapi.yaml', '--inlineBundle', '--output', join(scratch, 'api.html')],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (readFileSync(join(scratch, 'api.html'), 'utf8') !== readFileSync(join(root, 'docs/api.html'), 'utf8')) {
    console.error('docs/api.html is stale against openapi.yaml: run `npm run docs` and commit the result.');
    process.exit(1);
  }
  console.log('docs/api.html is up to date with openapi.yaml.');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
