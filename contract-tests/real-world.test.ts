/**
 * The runner's own faults found by sweeping 72 real-world documents (issue 24): each case is a
 * tiny document with the shape that caused it (Box's examples sharing an `$id`, Twilio's basic-only
 * security, Kubernetes' apiKey scheme in `authorization`, a 3.1 operation without `responses`, an
 * object header drawn empty, a required parameter with a default, a run that tests nothing), run
 * against the real mock or a fixture server, and must end with the verdict the server deserves.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parameterRule, parameterText, parameterValue } from '../src/contract/parameter-text.js';
import type { OpenApiDocument } from '../src/contract/spec.js';
import { startMock, type TestMock } from '../src/testing/mock-server.js';
import { TEST_JWT_SECRET } from '../src/testing/tokens.js';
import { runContract, type ContractOptions } from './contract.js';
import { toCurl } from './http.js';
import { sendWithin, type PhaseContext } from './property.js';
import { Report } from './report.js';
import type { ContractSpec, Operation } from './spec.js';
import { fixtureDocument, ok200, startFixtureServer, type FixtureServer } from './testing/fixture-server.js';

const servers: (TestMock | FixtureServer)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function againstMock(document: Record<string, any>, options: Partial<ContractOptions> = {}) {
  const mock = await startMock(structuredClone(document) as OpenApiDocument);
  servers.push(mock);
  return runContract({ baseUrl: mock.url, spec: document, seed: 3, maxExamples: 10, timeBudgetMs: 6_000, jwtSecret: TEST_JWT_SECRET, ...options });
}

const refused = { '401': { description: 'no credentials' } };
const checksOf = (result: Awaited<ReturnType<typeof runContract>>) => (result.report?.failures ?? []).map((f) => `${f.check} ${f.operation}: ${f.message}`);

describe('credentials the run does not have', () => {
  // Kubernetes: an apiKey scheme whose header is `authorization`; the run has only a bearer token.
  const kubernetes = fixtureDocument(
    {
      '/api/v1/pods': { get: { operationId: 'listPods', security: [{ BearerToken: [] }], responses: { ...ok200(), ...refused } } },
      '/version': { get: { operationId: 'getVersion', security: [], responses: ok200() } },
    },
    { securitySchemes: { BearerToken: { type: 'apiKey', in: 'header', name: 'authorization' } } },
  );

  it('are never replaced by a bearer token: only the unauthenticated request is sent, and the skip names --api-key', async () => {
    const result = await againstMock(kubernetes);
    expect(checksOf(result)).toEqual([]);
    expect(result.report!.skipped.get('listPods (GET /api/v1/pods)')).toMatch(/no credential for its security \(BearerToken \(apiKey\)\).*give --api-key BearerToken=VALUE/);
    expect(result.counts).toMatchObject({ operations: 2, tested: 1, skipped: 1, failed: 0 });
    expect(result.exitCode).toBe(0);
  });

  it('are used once given by scheme name (--api-key NAME=VALUE)', async () => {
    const result = await againstMock(kubernetes, { apiKeyArgs: ['BearerToken=k8s-token'] });
    expect(checksOf(result)).toEqual([]);
    expect(result.counts).toMatchObject({ tested: 2, skipped: 0 });
  });

  it('leave a basic-only document (Twilio) untested but not failed, naming --basic, and the run exits 3', async () => {
    const twilio = fixtureDocument(
      {
        '/2010-04-01/Accounts.json': { get: { operationId: 'ListAccount', security: [{ accountSid_authToken: [] }], responses: { ...ok200(), ...refused } } },
        '/2010-04-01/Accounts/{Sid}.json': { get: { operationId: 'FetchAccount', security: [{ accountSid_authToken: [] }], parameters: [{ name: 'Sid', in: 'path', required: true, schema: { type: 'string' } }], responses: { ...ok200(), ...refused } } },
      },
      { securitySchemes: { accountSid_authToken: { type: 'http', scheme: 'basic' } } },
    );
    const result = await againstMock(twilio);
    expect(checksOf(result)).toEqual([]);
    expect(result.report!.skipped.get('ListAccount (GET /2010-04-01/Accounts.json)')).toContain('give --basic user:password');
    expect(result.summary).toContain('Nothing was tested');
    expect(result.exitCode).toBe(3);
    const withBasic = await againstMock(twilio, { basic: 'AC123:token' });
    expect(checksOf(withBasic)).toEqual([]);
    expect(withBasic.counts).toMatchObject({ tested: 2 });
  });
});

describe('documents the runner crashed or failed on', () => {
  it('gives a verdict on examples that share an $id (Box): examples never reach Ajv', async () => {
    const file = { type: 'object', properties: { id: { type: 'string' }, type: { type: 'string' } }, example: { $id: '12345', type: 'file' } };
    const box = fixtureDocument(
      Object.fromEntries(['files', 'folders', 'comments', 'tasks'].map((name) => [`/${name}/{id}`, {
        get: { operationId: `get_${name}`, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: '12345' }], responses: ok200({ $ref: `#/components/schemas/${name}` }) },
      }])),
      { schemas: Object.fromEntries(['files', 'folders', 'comments', 'tasks'].map((name) => [name, structuredClone(file)])) },
      '3.0.3',
    );
    const result = await againstMock(box, { jwtSecret: undefined });
    expect(result.summary).not.toContain('more than one schema');
    expect(checksOf(result)).toEqual([]);
    expect(result.counts).toMatchObject({ operations: 4, tested: 4 });
    expect(result.exitCode).toBe(0);
  });

  it('accepts any status from a 3.1 operation that declares no responses', async () => {
    const doc = fixtureDocument({ '/ping': { get: { operationId: 'ping' } } });
    const server = await startFixtureServer(() => ({ status: 299, body: { anything: true } }), doc);
    servers.push(server);
    const result = await runContract({ baseUrl: server.url, spec: doc, seed: 1, maxExamples: 5, timeBudgetMs: 3_000 });
    expect(checksOf(result)).toEqual([]);
    expect(result.counts).toMatchObject({ tested: 1 });
    expect(result.exitCode).toBe(0);
  });

  it('gives no transport_error for a request its own ending time share cut short (a slow first answer)', async () => {
    const doc = fixtureDocument({ '/slow': { get: { operationId: 'slow', responses: ok200() } } });
    const server = await startFixtureServer(() => ({ status: 200, body: {}, delayMs: 2_000 }), doc);
    servers.push(server);
    const request = { method: 'GET', url: `${server.url}/slow`, headers: {} };
    const context = (requestTimeoutMs: number) => ({ target: { baseUrl: server.url, origin: 'o', token: undefined, requestTimeoutMs }, deadline: Date.now() + 100 }) as unknown as PhaseContext;
    // The slice ends in 0.1 s: the request gets about 1.1 s instead of --request-timeout's 10 s.
    const cut = await sendWithin(context(10_000), request);
    expect(cut).toMatchObject({ status: 0, cutShort: true });
    const report = new Report({ operations: [] } as unknown as ContractSpec, { baseUrl: server.url, origin: 'o', token: undefined }, () => {});
    const operation = { operationId: 'slow', method: 'GET', path: '/slow', responses: {} } as unknown as Operation;
    expect(report.evaluate({ operation, path: {}, query: {}, headers: {} }, cut)).toEqual([]);
    expect(report.warnings.map((w) => w.message)).toEqual(['a request was cut short by the end of its time share: no verdict on it (raise --time-budget)']);
    // With --request-timeout itself that short, the timeout is the server's: a transport_error.
    const slow = await sendWithin(context(1_000), request);
    expect(slow.cutShort).toBeUndefined();
    expect(report.evaluate({ operation, path: {}, query: {}, headers: {} }, slow).map((f) => f.check)).toEqual(['transport_error']);
  });

  it('exits 3, not 0, when every operation was skipped', async () => {
    const doc = fixtureDocument({ '/never': { get: { operationId: 'never', parameters: [{ name: 'q', in: 'query', required: true, schema: { type: 'string', minLength: 5, maxLength: 2 } }], responses: ok200() } } });
    const result = await runContract({ baseUrl: 'http://127.0.0.1:9', spec: doc, seed: 1, maxExamples: 5, timeBudgetMs: 2_000 });
    expect(result.summary).toMatch(/Nothing was tested \(see SKIPPED above\): 1 operations: 0 tested, 1 skipped, 0 failed/);
    expect(result.exitCode).toBe(3);
  });

  it('treats a required parameter with a default as the pipeline does, warning once', async () => {
    const doc = fixtureDocument({
      '/search': { get: { operationId: 'search', parameters: [{ name: 'limit', in: 'query', required: true, schema: { type: 'integer', default: 10, maximum: 50 } }], responses: { ...ok200(), '400': { description: 'bad' } } } },
    });
    const result = await againstMock(doc);
    expect(checksOf(result)).toEqual([]);
    expect(result.report!.warnings.map((w) => w.message)).toEqual([
      'query parameter "limit" is required and has a default: the pipeline fills the default in when it is missing, so its absence is not tested as invalid',
    ]);
  });
});

describe('an empty header value', () => {
  const header = { name: 'X-Filter', in: 'header', required: true, schema: { type: 'object', properties: { state: { type: 'string' } } } };
  const doc = fixtureDocument({ '/items': { get: { operationId: 'listItems', parameters: [header], responses: { ...ok200(), '400': { description: 'bad' } } } } });

  it('round-trips through the one shared text function: {} is sent empty and read back as {}', () => {
    const rule = parameterRule('header', 'x-filter', header.schema, (s) => s);
    expect(parameterText(rule, {})).toBe('');
    expect(parameterValue(rule, '').value).toEqual({});
    expect(parameterValue(rule, parameterText(rule, { state: 'open' })).value).toEqual({ state: 'open' });
  });

  it('is accepted by the mock, and the printed curl (-H "name;") sends it empty', async () => {
    const result = await againstMock(doc, { maxExamples: 30 });
    expect(checksOf(result)).toEqual([]);
    const mock = servers[0] as TestMock;
    const curl = toCurl({ method: 'GET', url: `${mock.url}/items`, headers: { 'x-filter': '' } }, []);
    expect(curl).toBe(`curl -i '${mock.url}/items' -H 'x-filter;'`);
    const { stdout } = await promisify(execFile)('sh', ['-c', `${curl} -s`]);
    expect(stdout).toMatch(/^HTTP\/1\.1 200/);
  });
});
