import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/server.js';
import { mintToken, TEST_JWT_SECRET } from '../src/testing/tokens.js';
import { startBrokenServer, type BrokenServer } from './testing/broken-proxy.js';

const root = new URL('..', import.meta.url).pathname;

/** dredd's transactions, derived from openapi.yaml: one per declared response of each operation. */
function transactions(): { method: string; path: string; status: number }[] {
  const spec = parse(readFileSync(`${root}openapi.yaml`, 'utf8')) as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']
      .filter((m) => item[m])
      .flatMap((m) => Object.keys(item[m]!.responses ?? {}).filter((s) => /^\d{3}$/.test(s)).map((s) => ({ method: m.toUpperCase(), path, status: Number(s) }))),
  );
}
/** A transaction line's path: the template with each `{param}` matching any segment, plus any query. */
const pathPattern = (path: string) => path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\\{[^}]+\\\}|\{[^}]+\}/g, '[^/?\\s]+') + '(?:\\?\\S*)?';
let server: TestServer;
let broken: BrokenServer;

/**
 * Runs dredd with the project's hooks the way `npm run contract:dredd -- <url>` does. Its output goes
 * to a file, not a pipe: dredd ends with process.exit(), which drops whatever a full pipe had not yet
 * taken (the failure details at the end), while writes to a file complete before it returns.
 */
async function dredd(url: string): Promise<{ code: number; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'specgate-dredd-'));
  const file = join(dir, 'out.txt');
  const fd = openSync(file, 'w');
  try {
    const child = spawn('node_modules/.bin/dredd', ['openapi.yaml', url, '--hookfiles=contract-tests/dredd/hooks.cjs', '--color=false'], {
      cwd: root,
      stdio: ['ignore', fd, 'ignore'],
      env: { ...process.env, DREDD_JWT_SECRET: TEST_JWT_SECRET },
    });
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode ?? 1));
    });
    return { code, out: readFileSync(file, 'utf8') };
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  server = await startTestServer();
  broken = await startBrokenServer(server.url, 'wrong-field-type', await mintToken('dredd-broken'));
});
afterAll(async () => {
  await broken.close();
  await server.close();
});

describe('dredd with the project hooks', () => {
  it('passes every success and every triggerable declared error, skipping only what it says it cannot trigger', async () => {
    const { code, out } = await dredd(server.url);
    const expected = transactions();
    const [, passing, failing, errors, skipped, total] = /complete: (\d+) passing, (\d+) failing, (\d+) errors, (\d+) skipped, (\d+) total/.exec(out) ?? [];
    expect({ failing, errors, total: Number(total) }).toEqual({ failing: '0', errors: '0', total: expected.length });
    expect(Number(passing) + Number(skipped)).toBe(expected.length);
    // Every skip is announced by the hooks with its reason, and none is a success or a 4xx the hooks can trigger.
    expect(out.match(/hook: skipped on purpose: .* \(a healthy server cannot be made to answer \d{3}\)/g)?.length ?? 0).toBe(Number(skipped));
    for (const t of expected) {
      const line = new RegExp(`(pass|skip): ${t.method} \\(${t.status}\\) ${pathPattern(t.path)}(?: duration|$)`, 'm');
      const [, outcome] = line.exec(out) ?? [];
      expect(outcome, `${t.method} (${t.status}) ${t.path}`).toBeDefined();
      if (t.status < 500 && [200, 201, 204, 304, 400, 404, 412, 413, 415, 422, 431].includes(t.status)) expect(outcome, `${t.method} (${t.status}) ${t.path}`).toBe('pass');
    }
    expect(code).toBe(0);
  });

  it("fails a body whose field type breaks the spec's JSON Schema", async () => {
    const { code, out } = await dredd(broken.url);
    // On failure, the message carries dredd's own lines about that transaction.
    const about = out.split('\n').filter((line, i, lines) => /GET \(200\) \/api\/tasks\/[0-9a-f-]{36}/.test(lines[i - 1] ?? '') || /GET \(200\) \/api\/tasks\/[0-9a-f-]{36}/.test(line)).join('\n');
    expect(out, about).toMatch(/fail: GET \(200\) \/api\/tasks\/[0-9a-f-]{36}/);
    expect(out, about).toContain('body: At \'/is_completed\' Invalid type: string (expected boolean)');
    expect(code).toBe(1);
  });
});
