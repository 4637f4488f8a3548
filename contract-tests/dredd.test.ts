import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/server.js';
import { mintToken, TEST_JWT_SECRET } from '../src/testing/tokens.js';
import { startBrokenServer, type BrokenServer } from './testing/broken-proxy.js';

const root = new URL('..', import.meta.url).pathname;
let server: TestServer;
let broken: BrokenServer;

/** Runs dredd with the project's hooks the way `npm run contract:dredd -- <url>` does. */
const dredd = (url: string) =>
  promisify(execFile)('node_modules/.bin/dredd', ['openapi.yaml', url, '--hookfiles=contract-tests/dredd/hooks.cjs', '--color=false'], {
    cwd: root,
    env: { ...process.env, DREDD_JWT_SECRET: TEST_JWT_SECRET },
  }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
  );

beforeAll(async () => {
  server = await startTestServer();
  broken = await startBrokenServer(server.url, 'wrong-field-type', await mintToken('dredd-broken'));
});
afterAll(async () => {
  await broken.close();
  await server.close();
});

describe('dredd with the project hooks', () => {
  it('passes every success and every triggerable declared error, skipping 500/503 on purpose', async () => {
    const { code, out } = await dredd(server.url);
    expect(out).toContain('complete: 43 passing, 0 failing, 0 errors, 17 skipped, 60 total');
    expect(out).toMatch(/pass: GET \(431\) \/health/);
    expect(out).toMatch(/pass: POST \(413\) \/api\/tasks/);
    expect(out).toMatch(/pass: DELETE \(404\) \/api\/tasks\/[0-9a-f-]{36}/);
    expect(out).toContain('a healthy server cannot be made to answer 503');
    expect(code).toBe(0);
  });

  it("fails a body whose field type breaks the spec's JSON Schema", async () => {
    const { code, out } = await dredd(broken.url);
    expect(out).toMatch(/fail: GET \(200\) \/api\/tasks\/[0-9a-f-]{36}/);
    expect(out).toContain('body: At \'/is_completed\' Invalid type: string (expected boolean)');
    expect(code).toBe(1);
  });
});
