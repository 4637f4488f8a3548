/**
 * What each PGlite test file waits for before its first test: `createTestDatabase()` (open + migrate)
 * in a fresh process, as vitest gives each file, for an old checkout and a new one, alternating.
 *
 *   npx tsx bench/test-database-setup.ts --old /work/base-pglite --new . [--rounds 5]
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { old: { type: 'string' }, new: { type: 'string', default: '.' }, rounds: { type: 'string', default: '5' } } });
if (!values.old) throw new Error('usage: npx tsx bench/test-database-setup.ts --old <checkout> --new <checkout> [--rounds N]');

// Runs in the checkout: import its helper, time one createTestDatabase(), print ms and RSS.
const probe = `const t = performance.now(); const { createTestDatabase } = await import('./src/testing/database.ts');
const d = await createTestDatabase(); const ms = performance.now() - t; const rss = process.memoryUsage().rss / 1048576; await d.drop();
console.log(JSON.stringify({ ms, rss }));`;

const once = (checkout: string) => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { cwd: resolve(checkout), env: { ...process.env, TEST_DB: 'pglite' }, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as { ms: number; rss: number };
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const runs: Record<'old' | 'new', { ms: number; rss: number }[]> = { old: [], new: [] };
for (let round = 0; round < Number(values.rounds); round++) {
  for (const side of round % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const)) {
    const run = once(side === 'old' ? values.old : values.new!);
    runs[side].push(run);
    console.log(`round ${round + 1} ${side}: ${run.ms.toFixed(0)} ms, ${run.rss.toFixed(0)} MiB`);
  }
}
for (const side of ['old', 'new'] as const) {
  console.log(`${side}: median ${median(runs[side].map((r) => r.ms)).toFixed(0)} ms, ${median(runs[side].map((r) => r.rss)).toFixed(0)} MiB RSS`);
}
