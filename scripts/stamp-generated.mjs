// Prefixes every file in generated/ with the do-not-edit header (idempotent).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HEADER = '// generated — do not edit. Source: openapi.yaml; regenerate with `npm run generate`.\n';
const dir = new URL('../generated/', import.meta.url).pathname;
for (const name of readdirSync(dir)) {
  if (!name.endsWith('.ts')) continue;
  const file = join(dir, name);
  const text = readFileSync(file, 'utf8');
  if (!text.startsWith(HEADER)) writeFileSync(file, HEADER + text);
}
