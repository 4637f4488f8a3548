import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { contractFrom, DEFAULT_SPEC_PATH } from '../src/contract/spec.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, startTestServer, type TestServer } from '../src/testing/server.js';
import { mintToken, TEST_JWT_SECRET } from '../src/testing/tokens.js';
import type { CheckName } from './checks.js';
import { runContractTests } from './runner.js';
import { loadContractSpec, type ContractSpec } from './spec.js';
import { startBrokenServer, type Breakage, type BrokenServer } from './testing/broken-proxy.js';

let server: TestServer;
let spec: ContractSpec;
let token: string;
const broken: BrokenServer[] = [];

beforeAll(async () => {
  // The property phases send hundreds of createTask requests as one caller, as CI's deployed run does.
  server = await startTestServer({ env: { RATE_LIMITS: 'off' } });
  spec = await loadContractSpec(new URL('../openapi.yaml', import.meta.url).pathname);
  token = await mintToken('contract-self-test');
});
afterAll(async () => {
  await Promise.all(broken.map((b) => b.close()));
  await server.close();
});

const run = (baseUrl: string, seed = 7) =>
  runContractTests(spec, { baseUrl, origin: ALLOWED_ORIGIN, token, seed, maxExamples: 15, timeBudgetMs: 20_000, chains: 1 });

async function brokenUrl(breakage: Breakage): Promise<string> {
  const b = await startBrokenServer(server.url, breakage, token);
  broken.push(b);
  return b.url;
}

describe('contract tests against the real app', () => {
  it('pass every check, on every declared operation', async () => {
    const report = await run(server.url);
    expect(report.failures).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.counts()).toMatchObject({ operations: spec.operations.length, tested: spec.operations.length, skipped: 0, failed: 0 });
    expect(report.requests).toBeGreaterThan(15 * spec.operations.length);
  });
});

describe('contract tests against the real app with its rate limits on', () => {
  it('pass: a 429 on a limited operation is not a valid request refused', async () => {
    // openapi.yaml with createTask limited to 3 requests a minute: the run is certain to go over it.
    const document = parse(readFileSync(DEFAULT_SPEC_PATH, 'utf8'));
    document.paths['/api/tasks'].post['x-specgate-rate-limit'] = { requests: 3, per: 60, by: 'caller' };
    const limited = await startTestServer({ contract: contractFrom(document) });
    try {
      const report = await run(limited.url);
      expect(report.failures).toEqual([]);
      expect(report.counts()).toMatchObject({ tested: spec.operations.length, failed: 0 });
      const answer = await limited.request('/api/tasks', { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: '{"title":"over"}' });
      expect(answer.status).toBe(429);
    } finally {
      await limited.close();
    }
  }, 60_000);
});

describe('contract tests against deliberately broken servers', () => {
  const cases: { breakage: Breakage; check: CheckName; operation: string; absent?: CheckName }[] = [
    { breakage: '500-on-bad-input', check: 'not_a_server_error', operation: 'createTask (POST /api/tasks)', absent: 'cors_on_every_response' },
    { breakage: 'drops-cors-on-500', check: 'cors_on_every_response', operation: 'createTask (POST /api/tasks)' },
    { breakage: 'wrong-field-type', check: 'response_schema_conformance', operation: 'getTask (GET /api/tasks/{taskId})' },
    { breakage: 'ignores-token', check: 'ignored_auth', operation: 'listTasks (GET /api/tasks)' },
    { breakage: 'serves-deleted-task', check: 'use_after_free', operation: 'getTask (GET /api/tasks/{taskId})' },
    { breakage: 'undeclared-status', check: 'status_code_conformance', operation: 'createTask (POST /api/tasks)' },
  ];
  for (const { breakage, check, operation, absent } of cases) {
    it(`report ${check} on ${operation} for a server that breaks it (${breakage})`, async () => {
      const report = await run(await brokenUrl(breakage));
      const failure = report.failures.find((f) => f.check === check && f.operation === operation);
      expect(failure, `checks reported: ${report.failures.map((f) => `${f.check} ${f.operation}`).join(', ')}`).toBeDefined();
      expect(failure!.curl).toMatch(/^curl -i /);
      expect(failure!.curl).not.toContain(token);
      if (absent) expect(report.failures.map((f) => f.check)).not.toContain(absent);
    });
  }
});

describe('npm run contract', () => {
  const once = (args: string[]) =>
    promisify(execFile)('node', ['--import', 'tsx', 'contract-tests/cli.ts', ...args], {
      cwd: new URL('..', import.meta.url).pathname,
      // The output grows with the spec: never let execFile's 1 MB default cut it short.
      maxBuffer: 256 * 1024 * 1024,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  // A child that printed nothing on stdout failed before the runner's first line (it happened once
  // on a loaded CI machine, with the reason on stderr, which was not kept): it is run once more, and
  // what both said on stderr goes into the assertion messages.
  const cli = async (args: string[]) => {
    const first = await once(args);
    if (first.stdout !== '') return first;
    const second = await once(args);
    return { ...second, stderr: `first run (exit ${first.code}):\n${first.stderr}\nsecond run (exit ${second.code}):\n${second.stderr}` };
  };

  it('exits 0 and prints progress against a healthy server, reproducible by seed', async () => {
    const { code, stdout, stderr } = await cli(['--base-url', server.url, `--jwt-secret=${TEST_JWT_SECRET}`, '--seed', '3', '--max-examples', '5']);
    expect(stdout, stderr).toContain('seed 3');
    expect(stdout).toMatch(/✓ createTask positive: \d+ requests/);
    expect(stdout).toContain(`All checks passed: ${spec.operations.length} operations: ${spec.operations.length} tested, 0 skipped, 0 failed`);
    expect(stdout).toContain('PASSED (reproduce this run with --seed 3)');
    expect(code).toBe(0);
  });

  it('exits 1 and prints the check, the operation and a curl command for each failure', async () => {
    const url = await brokenUrl('wrong-field-type');
    const { code, stdout, stderr } = await cli(['--base-url', url, '--token', token, '--seed', '3', '--max-examples', '5']);
    expect(stdout, stderr).toContain('[response_schema_conformance] getTask (GET /api/tasks/{taskId})');
    expect(stdout).toMatch(/reproduce: curl -i '[^']+\/api\/tasks\/[0-9a-f-]{36}' -H 'origin: http:\/\/localhost:3000'(?: -H '[^']*')* -H "authorization: Bearer \$TOKEN"/);
    expect(stdout).not.toContain(token);
    expect(code).toBe(1);
  });

  it('exits 2 on arguments it cannot use', async () => {
    const { code, stderr } = await once(['--base-url', server.url, '--undeclared-errors', 'maybe']);
    expect(code, stderr).toBe(2);
  });
});
