import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { errorSchemas } from './error-components.js';
import { effectiveDocument } from './effective.js';
import { resolveRef } from './refs.js';
import type { OpenApiDocument } from './spec.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const tasks = parse(readFileSync(join(ROOT, 'openapi.yaml'), 'utf8')) as OpenApiDocument;
const ok = { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } };
const fixture = (): OpenApiDocument => ({
  openapi: '3.0.3',
  info: { title: 'shop', version: '1' },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    // The document's own Error, of another shape than specgate's.
    schemas: { Error: { type: 'object', properties: { code: { type: 'integer' }, message: { type: 'string' } } } },
  },
  paths: {
    '/status': { get: { operationId: 'status', responses: { '200': ok } } },
    '/orders/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: {
        operationId: 'getOrder',
        security: [{ bearer: ['orders:read'] }],
        responses: { '200': ok, '500': { description: 'it broke', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
      },
    },
    '/orders': {
      post: {
        operationId: 'createOrder',
        'x-specgate-rate-limit': { requests: 10, per: 60, by: 'ip' },
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
        responses: { '201': ok, '429': { description: 'slow down' } },
      },
    },
  },
});
const specgateError = { $ref: '#/components/schemas/SpecgateError' };

describe('effectiveDocument', () => {
  const document = fixture();
  const before = JSON.stringify(document);
  const effective = effectiveDocument(document);
  const responsesOf = (path: string, method: string) => effective.paths[path][method].responses;
  const resolve = (response: any) => (response.$ref ? effective.components.responses[response.$ref.split('/').pop()] : response);

  it('returns a new document and leaves the given one as it was', () => {
    expect(JSON.stringify(document)).toBe(before);
    expect(effective).not.toBe(document);
  });

  it("adds specgate's Error under a name of its own when the document's Error has another shape", () => {
    expect(effective.components.schemas.Error).toEqual(document.components.schemas.Error);
    expect(effective.components.schemas.SpecgateError.required).toEqual(['detail', 'status_code', 'error_type', 'request_id']);
    expect(effective.components.schemas.SpecgateError.properties.error_type).toEqual({ $ref: '#/components/schemas/SpecgateErrorType' });
  });

  it('declares 401 (and 403 for its scopes) with the Error and WWW-Authenticate on a secured operation only', () => {
    const unauthorized = resolve(responsesOf('/orders/{id}', 'get')['401']);
    expect(unauthorized.content['application/json'].schema).toEqual(specgateError);
    expect(Object.keys(unauthorized.headers)).toEqual(['X-Request-ID', 'WWW-Authenticate']);
    expect(responsesOf('/orders/{id}', 'get')['403']).toBeDefined();
    expect(Object.keys(responsesOf('/status', 'get')).sort()).toEqual(['200', '431', '500']);
  });

  it('declares anyOf the document\'s schema and the Error where the document declares the status itself', () => {
    expect(responsesOf('/orders/{id}', 'get')['500']).toEqual({
      description: 'it broke',
      headers: { 'X-Request-ID': { $ref: '#/components/headers/SpecgateXRequestID' } },
      content: { 'application/json': { schema: { anyOf: [{ $ref: '#/components/schemas/Error' }, specgateError] } } },
    });
  });

  it('declares validation, body and rate-limit answers with their headers where they can happen', () => {
    const responses = responsesOf('/orders', 'post');
    expect(Object.keys(responses).sort()).toEqual(['201', '400', '413', '415', '429', '431', '500']);
    expect(Object.keys(responses['201'].headers)).toEqual(['X-Request-ID', 'RateLimit', 'RateLimit-Policy']);
    expect(responses['429']).toMatchObject({ description: 'slow down', content: { 'application/json': { schema: specgateError } } });
    expect(Object.keys(responses['429'].headers)).toEqual(['X-Request-ID', 'Retry-After', 'RateLimit', 'RateLimit-Policy']);
    expect(Object.keys(responsesOf('/orders/{id}', 'get'))).toContain('400');
  });

  it('leaves out 429 when rate limits are off, and adds the statuses the last stage answers', () => {
    const off = effectiveDocument(document, { rateLimits: false, lastStageStatuses: [400] });
    expect(off.paths['/orders'].post.responses['429']).toEqual({ description: 'slow down', headers: { 'X-Request-ID': { $ref: '#/components/headers/SpecgateXRequestID' } } });
    expect(off.paths['/status'].get.responses['400']).toEqual({ $ref: '#/components/responses/SpecgateError400' });
  });

  it('declares the Error on a declared 4xx without content when the last stage fills it in (the mock)', () => {
    const filled = effectiveDocument(document, { errorBodyWhereNone: true });
    expect(filled.paths['/orders'].post.responses['429'].content).toEqual({ 'application/json': { schema: specgateError } });
    const bare = { ...document, paths: { '/x': { get: { operationId: 'x', responses: { '200': ok, '409': { description: 'taken' } } } } } };
    expect(effectiveDocument(bare, { errorBodyWhereNone: true }).paths['/x'].get.responses['409']).toEqual({
      description: 'taken',
      content: { 'application/json': { schema: specgateError } },
      headers: { 'X-Request-ID': { $ref: '#/components/headers/SpecgateXRequestID' } },
    });
    expect(effectiveDocument(bare).paths['/x'].get.responses['409'].content).toBeUndefined();
  });

  it('declares validation errors as 422 on an operation that declares 422 and not 400, as the renderer sends them', () => {
    const unprocessable = { description: 'invalid', content: { 'application/json': { schema: { type: 'object', properties: { detail: { type: 'array' } } } } } };
    const api = { ...document, paths: { '/items': { post: { operationId: 'add', requestBody: { content: { 'application/json': { schema: { type: 'object' } } } }, responses: { '201': ok, '422': unprocessable } } } } };
    const responses = effectiveDocument(api, { lastStageStatuses: [400] }).paths['/items'].post.responses;
    expect(responses['400']).toBeUndefined();
    expect(responses['422'].content['application/json'].schema).toEqual({ anyOf: [unprocessable.content['application/json'].schema, specgateError] });
  });

  it('removes a shared response only this rewrite stopped referencing, and keeps one still referenced', () => {
    const oops = { description: 'oops', content: { 'application/json': { schema: { type: 'object' } } } };
    const api = {
      ...document,
      components: { ...document.components, responses: { Oops: oops, Gone: { description: 'gone' } } },
      paths: {
        '/a': { get: { operationId: 'a', responses: { '200': ok, '500': { $ref: '#/components/responses/Oops' } } } },
        '/b': { get: { operationId: 'b', responses: { '200': ok, '410': { $ref: '#/components/responses/Gone' } } } },
      },
    };
    const out = effectiveDocument(api);
    expect(out.components.responses.Oops).toBeUndefined();
    expect(out.paths['/a'].get.responses['500'].content['application/json'].schema).toEqual({ anyOf: [{ type: 'object' }, specgateError] });
    expect(out.paths['/b'].get.responses['410']).toEqual({ $ref: '#/components/responses/Gone' });
    expect(out.components.responses.Gone.headers).toEqual({ 'X-Request-ID': { $ref: '#/components/headers/SpecgateXRequestID' } });
  });

  it('keeps an operation without `responses` (OpenAPI 3.1) or with only a 1XX open to any answer, with `default`', () => {
    const open = effectiveDocument({ openapi: '3.1.0', info: { title: 'open', version: '1' }, paths: { '/any': { post: { operationId: 'any' }, get: { operationId: 'early', responses: { '103': { description: 'early hints' } } } } } });
    const any = { description: 'Any answer: the document declares no final (non-1XX) response for this operation.' };
    expect(open.paths['/any'].post.responses.default).toEqual(any);
    expect(Object.keys(open.paths['/any'].post.responses)).toEqual(['431', '500', 'default']);
    expect(open.paths['/any'].get.responses.default).toEqual(any);
    expect(open.paths['/status'] ?? effectiveDocument(fixture()).paths['/status'].get.responses.default).toBeUndefined();
  });

  it('narrows path parameters to what the route stage lets through: no dot-segment, no slash unless allowed', () => {
    const doc = fixture();
    doc.paths['/files/{dir}/{name}'] = {
      parameters: [{ name: 'dir', in: 'path', required: true, schema: { type: 'string' }, 'x-specgate-allow-encoded-slash': true }],
      get: { operationId: 'file', parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': ok } },
    };
    const item = effectiveDocument(doc).paths['/files/{dir}/{name}'];
    expect(item.parameters[0].schema).toEqual({ allOf: [{ type: 'string' }, { not: { enum: ['.', '..'] } }] });
    expect(item.get.parameters[0].schema).toEqual({ allOf: [{ type: 'string' }, { not: { enum: ['.', '..'] } }, { pattern: '^[^/\\\\]*$' }] });
    expect(doc.paths['/files/{dir}/{name}'].get.parameters[0].schema).toEqual({ type: 'string' });
    // A shared path parameter is narrowed where it is declared, and still referenced.
    doc.components!.parameters = { Id: { name: 'id', in: 'path', required: true, schema: { type: 'integer' } } };
    doc.paths['/things/{id}'] = { get: { operationId: 'thing', parameters: [{ $ref: '#/components/parameters/Id' }], responses: { '200': ok } } };
    const shared = effectiveDocument(doc);
    expect(shared.paths['/things/{id}'].get.parameters).toEqual([{ $ref: '#/components/parameters/Id' }]);
    expect(shared.components!.parameters!.Id.schema.allOf[0]).toEqual({ type: 'integer' });
  });

  it("replaces the document's body with the Error when asked to (a gateway that translates its backend's errors)", () => {
    const replaced = effectiveDocument(document, { declaredErrors: 'replace' });
    expect(replaced.paths['/orders/{id}'].get.responses['500']).toEqual({ $ref: '#/components/responses/SpecgateError500' });
  });

  it('declares every declared 4xx and 5xx with the Error only, its upstream statuses, and Idempotent-Replayed, for a gateway that translates errors', () => {
    const notFound = { description: 'no such payment', content: { 'application/json': { schema: { type: 'object', properties: { code: { type: 'integer' } } } } } };
    const key = { name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } };
    const api = { ...document, paths: { '/pay/{id}': { put: { operationId: 'pay', parameters: [key], responses: { '201': ok, '404': notFound } }, get: { operationId: 'payment', responses: { '200': ok, '404': notFound } } } } };
    const out = effectiveDocument(api, { translatedErrors: true, declaredErrors: 'replace', idempotentReplays: true, lastStageStatuses: [502, 503, 504] });
    const put = out.paths['/pay/{id}'].put.responses;
    expect(put['404']).toEqual({ $ref: '#/components/responses/SpecgateError404' });
    expect(Object.keys(put).sort()).toEqual(['201', '400', '404', '431', '500', '502', '503', '504']);
    expect(Object.keys(put['201'].headers)).toEqual(['X-Request-ID', 'Idempotent-Replayed']);
    expect(out.components.responses[put['504'].$ref.split('/').pop()].description).toBe('The upstream did not answer in time (`gateway_timeout`).');
    expect(Object.keys(out.paths['/pay/{id}'].get.responses['200'].headers)).toEqual(['X-Request-ID']);
    // Without the option the document's own 404 body stays.
    expect(effectiveDocument(api).paths['/pay/{id}'].get.responses['404'].content).toEqual(notFound.content);
  });

  it('declares Deprecation, Sunset and Link on every answer of a deprecated operation, and 410 gone only under SUNSET_ENFORCE', () => {
    const retired = { operationId: 'old', deprecated: true, 'x-sunset': '2030-01-01', 'x-deprecation-link': 'https://example.com/changelog', responses: { '200': ok } };
    const param = { name: 'legacy', in: 'query', deprecated: true, schema: { type: 'string' } };
    const api = { ...document, paths: { '/old': { get: retired }, '/new': { get: { operationId: 'new', parameters: [param], responses: { '200': ok } } } } };
    const plain = effectiveDocument(api);
    const old = plain.paths['/old'].get.responses;
    expect(Object.keys(old).sort()).toEqual(['200', '431', '500']);
    expect(Object.keys(old['200'].headers)).toEqual(['X-Request-ID', 'Deprecation', 'Sunset', 'Link']);
    expect(Object.keys(old['500'].headers)).toEqual(['X-Request-ID', 'Deprecation', 'Sunset', 'Link']);
    expect(plain.components.headers[old['200'].headers.Sunset.$ref.split('/').pop()].description).toMatch(/RFC 8594/);
    // A deprecated parameter: Deprecation only (it has no sunset or link of its own).
    expect(Object.keys(plain.paths['/new'].get.responses['200'].headers)).toEqual(['X-Request-ID', 'Deprecation']);
    const enforced = effectiveDocument(api, { sunsetEnforce: true }).paths['/old'].get.responses;
    expect(Object.keys(enforced).sort()).toEqual(['200', '410', '431', '500']);
    expect(enforced['410'].description).toBe('The operation was retired at its sunset (`gone`).');
  });

  it('declares what the last stage adds to one operation only, by operationId', () => {
    const api = { ...document, paths: { '/a': { get: { operationId: 'a', responses: { '200': ok } } }, '/b': { get: { operationId: 'b', responses: { '200': ok } } } } };
    const out = effectiveDocument(api, { lastStageOf: (id) => (id === 'a' ? { statuses: [502, 503], headers: ['X-Specgate-Contract-Violation'] } : {}) });
    expect(Object.keys(out.paths['/a'].get.responses).sort()).toEqual(['200', '431', '500', '502', '503']);
    expect(Object.keys(out.paths['/a'].get.responses['200'].headers)).toEqual(['X-Request-ID', 'X-Specgate-Contract-Violation']);
    expect(Object.keys(out.paths['/b'].get.responses).sort()).toEqual(['200', '431', '500']);
    expect(Object.keys(out.paths['/b'].get.responses['200'].headers)).toEqual(['X-Request-ID']);
  });

  it('declares 503 with Retry-After only where a dependency can be down: a rate limit failing closed, or the last stage', () => {
    // No dependency, no 503: an operation specgate answers without one (a liveness probe, the published document) never sends it.
    expect(responsesOf('/status', 'get')['503']).toBeUndefined();
    expect(responsesOf('/orders', 'post')['503']).toBeUndefined();
    const closed = effectiveDocument(document, { rateLimitsFailClosed: true });
    const limited = closed.paths['/orders'].post.responses['503'];
    expect(limited).toEqual({
      description: 'A dependency is unavailable (`service_unavailable`); Retry-After says when to try again.',
      headers: {
        'X-Request-ID': { $ref: '#/components/headers/SpecgateXRequestID' },
        'Retry-After': { $ref: '#/components/headers/SpecgateRetryAfter' },
        RateLimit: { $ref: '#/components/headers/SpecgateRateLimit' },
        'RateLimit-Policy': { $ref: '#/components/headers/SpecgateRateLimitPolicy' },
      },
      content: { 'application/json': { schema: specgateError } },
    });
    // Only the limited operation depends on the rate-limit store; with limits off nothing does.
    expect(closed.paths['/status'].get.responses['503']).toBeUndefined();
    expect(effectiveDocument(document, { rateLimitsFailClosed: true, rateLimits: false }).paths['/orders'].post.responses['503']).toBeUndefined();
    const forwarded = effectiveDocument(document, { lastStageOf: (id) => (id === 'getOrder' ? { statuses: [503] } : {}) });
    expect(forwarded.paths['/orders/{id}'].get.responses['503']).toEqual({ $ref: '#/components/responses/SpecgateError503' });
    expect(Object.keys(forwarded.components.responses.SpecgateError503.headers)).toEqual(['X-Request-ID', 'Retry-After']);
    expect(forwarded.paths['/status'].get.responses['503']).toBeUndefined();
  });

  it("keeps a declared 503 of an operation's own (a readiness probe's body) as written, translated only where the last stage translates", () => {
    const degraded = { description: 'not ready', content: { 'application/json': { schema: { type: 'object', required: ['upstreams'] } } } };
    const api = { ...document, paths: { '/readyz': { get: { operationId: 'ready', responses: { '200': ok, '503': degraded } } }, '/x': { get: { operationId: 'x', responses: { '200': ok, '503': degraded } } } } };
    const out = effectiveDocument(api, { lastStageOf: (id) => (id === 'x' ? { statuses: [503], translatesErrors: true } : { translatesErrors: false }) });
    expect(out.paths['/readyz'].get.responses['503']).toEqual({ ...degraded, headers: { 'X-Request-ID': { $ref: '#/components/headers/SpecgateXRequestID' } } });
    expect(out.paths['/x'].get.responses['503']).toEqual({ $ref: '#/components/responses/SpecgateError503' });
  });

  it("keeps openapi.yaml's own Error, declared exactly as specgate's", () => {
    expect(errorSchemas({ Error: 'Error', ErrorType: 'ErrorType', ValidationIssue: 'ValidationIssue' })).toEqual({
      Error: tasks.components.schemas.Error,
      ErrorType: tasks.components.schemas.ErrorType,
      ValidationIssue: tasks.components.schemas.ValidationIssue,
    });
    const own = effectiveDocument(tasks);
    expect(own.components.schemas.SpecgateError).toBeUndefined();
    expect(own.paths['/api/tasks/{taskId}'].get.responses['401']).toEqual(tasks.paths['/api/tasks/{taskId}'].get.responses['401']);
    // createTask's budget is by caller, checked after authenticate: its 401 carries no RateLimit, and stays the shared one.
    expect(own.paths['/api/tasks'].post.responses['401']).toEqual(tasks.paths['/api/tasks'].post.responses['401']);
    // Its 400 comes after the budget was checked: openapi.yaml declares RateLimit there itself.
    expect(own.paths['/api/tasks'].post.responses['400']).toEqual(tasks.paths['/api/tasks'].post.responses['400']);
  });

  it('finds every header the pipeline adds already declared in openapi.yaml, which the Tasks API publishes as written', () => {
    const own = effectiveDocument(tasks);
    const names = (document: OpenApiDocument, response: unknown) => Object.keys(resolveRef(document, response)?.headers ?? {}).map((h) => h.toLowerCase());
    const undeclared: string[] = [];
    for (const [path, item] of Object.entries<Record<string, any>>(tasks.paths)) {
      for (const [method, operation] of Object.entries<Record<string, any>>(item)) {
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          const declared = new Set(names(tasks, response));
          const added = names(own, own.paths[path][method].responses[status]).filter((h) => !declared.has(h));
          if (added.length > 0) undeclared.push(`${method.toUpperCase()} ${path} ${status}: ${added.join(', ')}`);
        }
      }
    }
    expect(undeclared).toEqual([]);
  });

  it("passes the project's own redocly rules on openapi.yaml, and redocly's minimal rules on the fixture", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specgate-effective-'));
    writeFileSync(join(dir, 'tasks.json'), JSON.stringify(effectiveDocument(tasks)));
    writeFileSync(join(dir, 'shop.json'), JSON.stringify(effective));
    writeFileSync(join(dir, 'minimal.yaml'), 'extends:\n  - minimal\n');
    const redocly = (file: string, config: string) =>
      promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', join(dir, file), '--config', config, '--format=summary'], { cwd: dir });
    await expect(redocly('tasks.json', join(ROOT, 'redocly.yaml'))).resolves.toMatchObject({ stdout: expect.any(String) });
    const shop = await redocly('shop.json', join(dir, 'minimal.yaml'));
    expect(shop.stderr).toContain('Your API description is valid');
  }, 60_000);
});
