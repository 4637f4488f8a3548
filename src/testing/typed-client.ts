/**
 * `npm run client` as a user runs it (scripts/client.mjs), and `tsc --noEmit` over a file that
 * uses the generated client, for the tests that prove what a generated client lets a frontend
 * write. The output goes under node_modules/.cache so `openapi-fetch` resolves from the repository.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

/** Generates the client for `spec` (a file or URL) into a new directory and returns it. */
export async function generateClient(spec: string): Promise<string> {
  mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'node_modules/.cache/specgate-client-'));
  await run(process.execPath, [join(ROOT, 'scripts/client.mjs'), spec, '--out', dir], { cwd: ROOT, env: { ...process.env, INIT_CWD: ROOT } });
  return dir;
}

/** Writes `files` into `dir` and type-checks them with the generated client; the compiler's output and whether it passed. */
export async function typecheck(dir: string, files: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const compilerOptions = { strict: true, noEmit: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], skipLibCheck: true };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: Object.keys(files) }));
  try {
    const { stdout } = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: dir });
    return { ok: true, output: stdout };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}
