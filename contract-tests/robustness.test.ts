/**
 * The runner on documents and servers people actually have: each case is a small fixture that
 * once crashed, hung or failed falsely (issue 15), and must now end with the right verdict.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runContract, type ContractOptions } from './contract.js';
import { fixtureDocument, ok200, startFixtureServer, uniformError, type FixtureAnswer, type FixtureRequest, type FixtureServer } from './testing/fixture-server.js';

const servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function against(spec: Record<string, any>, answer: (req: FixtureRequest) => FixtureAnswer, options: Partial<ContractOptions> = {}) {
  const server = await startFixtureServer(answer, spec);
  servers.push(server);
  const result = await runContract({ baseUrl: server.url, spec, seed: 5, maxExamples: 15, timeBudgetMs: 8_000, ...options });
  const checks = (result.report?.failures ?? []).map((f) => `${f.check} ${f.operation.split(" ")[0]}`);
  if (process.env.DEBUG_CONTRACT) console.log(result.summary);
  return { ...result, server, checks };
}

const fine = (): FixtureAnswer => ({ status: 200, body: {} });
const bad400 = { '400': { description: 'invalid request' } };

describe('a verdict instead of a hang', () => {
  it('skips an operation no request can be drawn for, naming the schema, and tests the rest', async () => {
    const doc = fixtureDocument({
      '/never': { get: { operationId: 'never', parameters: [{ name: 'q', in: 'query', required: true, schema: { $ref: '#/components/schemas/Impossible' } }], responses: ok200() } },
      '/fine': { get: { operationId: 'fine', responses: ok200() } },
    }, { schemas: { Impossible: { allOf: [{ type: 'string', minLength: 5 }, { type: 'string', maxLength: 2 }] } } });
    const started = Date.now();
    const { exitCode, summary, report } = await against(doc, fine);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(report!.skipped.get('never (GET /never)')).toContain('#/components/schemas/Impossible');
    expect(summary).toMatch(/2 operations: 1 tested, 1 skipped, 0 failed/);
    expect(exitCode).toBe(0);
  });

  it('draws array query parameters as repeated values instead of JSON text that never validates', async () => {
    const doc = fixtureDocument({
      '/tags': { get: { operationId: 'tags', parameters: [{ name: 'tag', in: 'query', required: true, schema: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 1 } } }], responses: { ...ok200(), ...bad400 } } },
    });
    const { exitCode, server } = await against(doc, (r) => (r.query.getAll('tag').length > 0 && r.query.getAll('tag').every((t) => /^[1-9]\d*$/.test(t)) ? fine() : uniformError(400)));
    expect(exitCode).toBe(0);
    expect(server.received.some((r) => r.query.getAll('tag').length > 1)).toBe(true);
  });
});

describe('documents that crashed the runner', () => {
  it('reads OpenAPI 3.0 `nullable` without a type through the normaliser', async () => {
    const doc = fixtureDocument({ '/n': { get: { operationId: 'nullableThing', responses: ok200({ nullable: true, properties: { a: { type: 'string' } } }) } } }, {}, '3.0.3');
    const { exitCode, summary } = await against(doc, () => ({ status: 200, body: null }));
    expect(summary).toContain('1 tested');
    expect(exitCode).toBe(0);
  });

  it('compiles cyclic $refs against the whole document', async () => {
    const node = { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } };
    const doc = fixtureDocument(
      { '/tree': { post: { operationId: 'plantTree', requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } }, responses: { ...ok200({ $ref: '#/components/schemas/Node' }), ...bad400 } } } },
      { schemas: { Node: node } },
    );
    const valid = (n: any): boolean =>
      !!n && typeof n === 'object' && !Array.isArray(n) && (n.name === undefined || typeof n.name === 'string') && (n.children === undefined || (Array.isArray(n.children) && n.children.every(valid)));
    const { exitCode, summary, server } = await against(doc, (r) => (valid(JSON.parse(r.body)) ? { status: 200, body: JSON.parse(r.body) } : uniformError(400)));
    expect(summary).toContain('1 tested');
    expect(server.received.some((r) => r.body.includes('children'))).toBe(true);
    expect(exitCode).toBe(0);
  });

  it('draws header values a header can carry (no control character, nothing outside Latin-1)', async () => {
    const doc = fixtureDocument({ '/h': { get: { operationId: 'withHeader', parameters: [{ name: 'X-Note', in: 'header', required: true, schema: { type: 'string', minLength: 1 } }], responses: { ...ok200(), ...bad400 } } } });
    const { exitCode, server } = await against(doc, (r) => (r.headers['x-note'] ? fine() : uniformError(400)), { maxExamples: 60 });
    expect(exitCode).toBe(0);
    expect(server.received.filter((r) => r.headers['x-note'] !== undefined).length).toBeGreaterThan(30);
  });

  it('never sends a body with GET, even when the document declares one', async () => {
    const doc = fixtureDocument({ '/search': { get: { operationId: 'search', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['q'], properties: { q: { type: 'string' } } } } } }, responses: ok200() } } });
    const { exitCode, server } = await against(doc, fine);
    expect(server.received.filter((r) => r.method === 'GET').length).toBeGreaterThan(0);
    expect(server.received.every((r) => r.method !== 'GET' || r.body === '')).toBe(true);
    expect(exitCode).toBe(0);
  });

  it('takes a declared 407 as an answer, not a network error', async () => {
    const doc = fixtureDocument({ '/proxy': { get: { operationId: 'proxied', responses: { '407': { description: 'proxy auth', content: { 'application/json': { schema: { type: 'object' } } } } } } } });
    const { exitCode, checks } = await against(doc, () => uniformError(407, 'proxy_authentication_required'));
    expect(checks).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('reports a dropped connection as transport_error for that operation and goes on', async () => {
    const doc = fixtureDocument({ '/drop': { get: { operationId: 'drops', responses: ok200() } }, '/fine': { get: { operationId: 'fine', responses: ok200() } } });
    const { exitCode, checks, summary } = await against(doc, (r) => (r.path === '/drop' ? { status: 200, destroy: true } : fine()));
    expect(checks).toEqual(['transport_error drops']);
    expect(summary).toMatch(/2 operations: 2 tested, 0 skipped, 1 failed/);
    expect(exitCode).toBe(1);
  });
});

describe('false failures', () => {
  it('takes a declared 4xx as the answer to a valid request only where nothing below 400 is declared', async () => {
    const doc = fixtureDocument({
      '/only405': { post: { operationId: 'only405', responses: { '405': { description: 'invalid input' } } } },
      '/ok': { post: { operationId: 'refusesValid', responses: { ...ok200(), '405': { description: 'invalid input' } } } },
    });
    const { exitCode, checks } = await against(doc, () => uniformError(405, 'method_not_allowed'));
    expect(checks).toEqual(['positive_data_acceptance refusesValid']);
    expect(exitCode).toBe(1);
  });

  it('takes a declared 5xx as the answer only where nothing below 400 is declared', async () => {
    const doc = fixtureDocument({
      '/only506': { get: { operationId: 'only506', responses: { '506': { description: 'variant also negotiates' } } } },
      '/ok': { get: { operationId: 'fails', responses: { ...ok200(), '506': { description: 'variant also negotiates' } } } },
    });
    const { checks } = await against(doc, () => uniformError(506, 'internal_error'));
    expect(checks).toEqual(['not_a_server_error fails']);
  });

  it('sends `.` and `..` path values encoded, so the operation asked for is the one hit', async () => {
    const doc = fixtureDocument({ '/files/{name}': { get: { operationId: 'getFile', parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', enum: ['.', '..', 'a'] } }], responses: { ...ok200(), ...bad400 } } } });
    const { exitCode, server } = await against(doc, (r) => (['.', '..', 'a'].includes(decodeURIComponent(r.path.slice('/files/'.length))) ? fine() : uniformError(400)));
    expect(server.received.some((r) => r.path === '/files/%2E%2E')).toBe(true);
    expect(exitCode).toBe(0);
  });

  it('never draws `.`, `..` or a slash for a free-form path value: specgate refuses them as reaching another resource', async () => {
    const doc = fixtureDocument({ '/files/{name}': { get: { operationId: 'getFile', parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', maxLength: 2 } }], responses: { ...ok200(), ...bad400 } } } });
    const { exitCode, server } = await against(doc, (r) => ([...decodeURIComponent(r.path.slice('/files/'.length))].length <= 2 ? fine() : uniformError(400)), { maxExamples: 100 });
    expect(server.received.filter((r) => /^\/files\/((%2E|\.){1,2}|.*(%2F|%5C).*)$/i.test(r.path))).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('sends a `*/*` request body as JSON', async () => {
    const doc = fixtureDocument({ '/any': { post: { operationId: 'anyBody', requestBody: { required: true, content: { '*/*': { schema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } } } }, responses: { ...ok200(), '400': { description: 'bad' } } } } });
    const { exitCode, checks } = await against(doc, (r) => (r.headers['content-type'] === 'application/json' && Number.isInteger(JSON.parse(r.body || '{}').n) ? fine() : uniformError(400)));
    expect(checks).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('expects no body on a HEAD error, and the uniform Error shape whatever the document calls Error', async () => {
    const doc = fixtureDocument(
      { '/gone': { head: { operationId: 'headGone', responses: { '200': { description: 'ok' }, '404': { description: 'gone' } } }, get: { operationId: 'getGone', responses: { ...ok200(), '404': { description: 'gone' } } } } },
      { schemas: { Error: { type: 'object', required: ['type', 'title'], properties: { type: { type: 'string' }, title: { type: 'string' } } } } },
    );
    const { exitCode, checks } = await against(doc, () => uniformError(404, 'not_found'), { excludeChecks: ['positive_data_acceptance'] });
    expect(checks).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('sends basic and apiKey credentials where the schemes say, and probes them only without credentials', async () => {
    const doc = fixtureDocument(
      {
        '/basic': { get: { operationId: 'basicOnly', security: [{ basicAuth: [] }], responses: { ...ok200(), '401': { description: 'no' } } } },
        '/key': { get: { operationId: 'keyOnly', security: [{ keyAuth: [] }], responses: { ...ok200(), '401': { description: 'no' } } } },
      },
      { securitySchemes: { basicAuth: { type: 'http', scheme: 'basic' }, keyAuth: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
    );
    const basic = `Basic ${Buffer.from('ann:s3cret').toString('base64')}`;
    const { exitCode, checks, report } = await against(
      doc,
      (r) => ((r.path === '/basic' ? r.headers.authorization === basic : r.headers['x-api-key'] !== undefined) ? fine() : uniformError(401, 'authentication_error')),
      { basic: 'ann:s3cret', apiKey: 'k-123' },
    );
    expect(checks).toEqual([]);
    expect(report!.tested.get('keyOnly (GET /key)')).toBeGreaterThan(0);
    expect(exitCode).toBe(0);
  });

  it('gives a minted token the scopes the document asks for', async () => {
    const doc = fixtureDocument(
      { '/admin': { get: { operationId: 'admin', security: [{ oauth: ['things:admin'] }], responses: { ...ok200(), '401': { description: 'no' }, '403': { description: 'no' } } } } },
      { securitySchemes: { oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://example.com/token', scopes: { 'things:admin': 'admin' } } } } } },
    );
    const scopeOf = (auth: string | undefined) => {
      try {
        return JSON.parse(Buffer.from(String(auth).split('.')[1]!, 'base64url').toString()).scope as string;
      } catch {
        return undefined;
      }
    };
    const { exitCode, server } = await against(doc, (r) => (scopeOf(r.headers.authorization) === 'things:admin' ? fine() : uniformError(401, 'authentication_error')), { jwtSecret: 'fixture-secret-fixture-secret-fixture' });
    expect(server.received.some((r) => scopeOf(r.headers.authorization) === 'things:admin')).toBe(true);
    expect(exitCode).toBe(0);
  });
});

describe('undeclared error statuses', () => {
  const doc = fixtureDocument({ '/things/{id}': { get: { operationId: 'getThing', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }], responses: { ...ok200(), '404': { description: 'no such thing' } } } } });
  const validating = (r: FixtureRequest) => (/^\/things\/[1-9]\d*$/.test(r.path) ? fine() : uniformError(400));

  it('fail by default, saying the request was invalid per the spec and what to declare', async () => {
    const { exitCode, report, summary } = await against(doc, validating);
    const failure = report!.failures.find((f) => f.check === 'status_code_conformance');
    expect(failure?.message).toContain('declare 400 on getThing');
    expect(summary).toContain('declare 400 on getThing');
    expect(exitCode).toBe(1);
  });

  it('are warnings with --undeclared-errors warn', async () => {
    const { exitCode, report } = await against(doc, validating, { undeclaredErrors: 'warn' });
    expect(report!.failures).toEqual([]);
    expect(report!.warnings.map((w) => w.message).join('\n')).toContain('declare 400 on getThing');
    expect(exitCode).toBe(0);
  });
});

describe('exit codes', () => {
  it('2 when the spec cannot be loaded', async () => {
    const { exitCode, summary } = await runContract({ baseUrl: 'http://127.0.0.1:9', spec: '/nonexistent/openapi.yaml', timeBudgetMs: 1_000 });
    expect(summary).toMatch(/^Runner error: .*nonexistent/);
    expect(exitCode).toBe(2);
  });
});
