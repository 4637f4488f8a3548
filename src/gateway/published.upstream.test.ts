/**
 * The gateway's own /openapi.json, /openapi.yaml and /docs: served where the backend's document
 * does not declare the path, forwarded where it does; the JSON passes redocly's minimal rules.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { gatewaySpec, localHandlers } from '../testing/gateway-spec.js';
import { startTestUpstream, type TestUpstream } from '../testing/upstream.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let upstream: TestUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startTestUpstream();
  const document = gatewaySpec(upstream.url);
  // The backend declares its own /openapi.json: that one is forwarded, the other two are the gateway's.
  const own = { get: { operationId: 'backendSpec', security: [], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } } };
  gateway = await startTestGateway({ ...document, paths: { ...document.paths, '/openapi.json': own } }, { UPSTREAM_URL: upstream.url }, localHandlers);
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

describe("the gateway's published contract", () => {
  it("forwards a path the backend declares (the test upstream answers it 404), and serves the others itself", async () => {
    const forwarded = await gateway.request('/openapi.json');
    expect(forwarded.status).toBe(404);
    expect(await forwarded.json()).toMatchObject({ error_type: 'not_found', detail: 'Not Found' });
    const yaml = await gateway.request('/openapi.yaml');
    expect(yaml.status).toBe(200);
    expect(yaml.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    const published = parse(await yaml.text());
    expect(published.paths['/openapi.json'].get.operationId).toBe('backendSpec');
    expect(published.paths['/openapi.yaml'].get.operationId).toBe('specgateOpenApiYaml');
    expect(Object.keys(published.paths['/items/{id}'].get.responses).sort()).toEqual(['200', '400', '401', '431', '500', '502', '503', '504']);
    // Outside production the gateway names a reported violation in a header on the backend's answer: declared there.
    expect(Object.keys(published.paths['/items/{id}'].get.responses['200'].headers)).toEqual(['X-Request-ID', 'X-Specgate-Contract-Violation']);
    // What the gateway answers itself is never forwarded: no 502/504, no violation header.
    const own = published.paths['/openapi.yaml'].get.responses;
    expect(Object.keys(own).sort()).toEqual(['200', '431', '500']);
    expect(Object.keys(own['200'].headers)).toEqual(['X-Request-ID']);
    const docs = await gateway.request('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/^<!DOCTYPE html>[\s\S]*init\(\{"openapi":/);
  });

  it("passes redocly's minimal rules", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specgate-published-'));
    writeFileSync(join(dir, 'published.json'), JSON.stringify(parse(await (await gateway.request('/openapi.yaml')).text())));
    writeFileSync(join(dir, 'minimal.yaml'), 'extends:\n  - minimal\n');
    const { stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', join(dir, 'published.json'), '--config', join(dir, 'minimal.yaml'), '--format=summary'], { cwd: dir });
    expect(stderr).toContain('Your API description is valid');
  }, 60_000);
});
