/**
 * What a contract-breaking upstream answer does in gateway mode: by default (report) it is passed
 * as the upstream sent it, with a log line, a metric and — outside production — the
 * X-Specgate-Contract-Violation header a browser can read; `x-specgate-response-validation`
 * makes one operation enforce (502) or skip the check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../contract/spec.js';
import { createMetrics } from '../metrics/metrics.js';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { gatewaySpec, localHandlers } from '../testing/gateway-spec.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';
import { startTestUpstream, type TestUpstream } from '../testing/upstream.js';

let upstream: TestUpstream;
const VIOLATION = "getCase 200 the body of 200 breaks the schema (/ must have required property 'name'; /id must be string)";

/** The test spec with getLocated (whose upstream never sends the Location it requires) under its own validation mode. */
function withModes(document: OpenApiDocument, mode: string): OpenApiDocument {
  const located = document.paths['/located'];
  return { ...document, paths: { ...document.paths, '/located': { ...located, get: { ...located.get, 'x-specgate-response-validation': mode } } } };
}

beforeAll(async () => {
  upstream = await startTestUpstream();
});
afterAll(async () => {
  await upstream?.close();
});

describe('the default in gateway mode (report)', () => {
  let gateway: TestGateway;
  const metrics = createMetrics();
  beforeAll(async () => {
    gateway = await startTestGateway(withModes(gatewaySpec(upstream.url), 'enforce'), { UPSTREAM_URL: upstream.url }, localHandlers, metrics);
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('passes the answer, names the violation in a header CORS exposes, logs it and counts it', async () => {
    const res = await gateway.request('/cases/wrong-body');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 5 });
    expect(res.headers.get('x-specgate-contract-violation')).toBe(VIOLATION);
    expect(res.headers.get('access-control-expose-headers')?.split(', ')).toContain('X-Specgate-Contract-Violation');
    expect(gateway.logs).toContainEqual(expect.objectContaining({ msg: 'upstream answer breaks the contract', operationId: 'getCase', mode: 'report', schemaPaths: ['#/required', '#/properties/id/type'] }));
    expect(await metrics.registry.metrics()).toContain('specgate_upstream_contract_violations_total{operation="getCase"} 1');
  });

  it('sends no such header on an answer that keeps the contract', async () => {
    const res = await gateway.request('/cases/ok');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-specgate-contract-violation')).toBeNull();
  });

  it('answers 502 on an operation marked x-specgate-response-validation: enforce', async () => {
    const res = await gateway.request('/located');
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error_type: 'bad_gateway', detail: "The upstream's answer to getLocated breaks the contract: status 200 requires the header location." });
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  });
});

describe('other settings', () => {
  it('sends no header in production, and skips the check on an operation marked off', async () => {
    const gateway = await startTestGateway(withModes(gatewaySpec(upstream.url), 'off'), { UPSTREAM_URL: upstream.url, NODE_ENV: 'production', CORS_ORIGINS: ALLOWED_ORIGIN }, localHandlers);
    try {
      const reported = await gateway.request('/cases/wrong-body');
      expect(reported.status).toBe(200);
      expect(reported.headers.get('x-specgate-contract-violation')).toBeNull();
      const skipped = await gateway.request('/located');
      expect(skipped.status).toBe(200);
      expect(gateway.logs.filter((l) => l.msg === 'upstream answer breaks the contract').map((l) => l.operationId)).toEqual(['getCase']);
    } finally {
      await gateway.close();
    }
  });

  it('UPSTREAM_RESPONSE_VALIDATION=enforce answers 502 on every operation, and an operation marked report passes', async () => {
    const gateway = await startTestGateway(withModes(gatewaySpec(upstream.url), 'report'), { UPSTREAM_URL: upstream.url, UPSTREAM_RESPONSE_VALIDATION: 'enforce' }, localHandlers);
    try {
      expect((await gateway.request('/cases/wrong-body')).status).toBe(502);
      const passed = await gateway.request('/located');
      expect(passed.status).toBe(200);
      expect(passed.headers.get('x-specgate-contract-violation')).toBe('getLocated 200 status 200 requires the header location');
    } finally {
      await gateway.close();
    }
  });

  it('refuses to start on an x-specgate-response-validation that is not a mode', async () => {
    await expect(startTestGateway(withModes(gatewaySpec(upstream.url), 'strict'), { UPSTREAM_URL: upstream.url }, localHandlers)).rejects.toThrow('getLocated: x-specgate-response-validation must be enforce, report or off (got "strict").');
  });
});
