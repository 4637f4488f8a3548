import { describe, expect, it } from 'vitest';
import { configProblems, loadConfig } from './index.js';

describe('gateway configuration', () => {
  it('has defaults that depend on NODE_ENV only for the Tasks API response validation (report in gateway mode)', () => {
    const dev = loadConfig({}).upstream;
    expect(dev).toEqual({
      url: undefined,
      timeoutMs: 30_000,
      pipelining: 1,
      errors: 'normalize',
      responseValidation: 'enforce',
      gatewayResponseValidation: 'report',
      userHeader: 'X-User-Id',
      claimHeaders: [],
      forwardAuthorization: true,
      breakerFailures: 5,
      breakerCooldown: 10,
      healthPath: undefined,
      healthIntervalMs: 5000,
      idempotencyMaxEntries: 10_000,
      idempotencyMaxBytes: 64 * 1024 * 1024,
      underscoreHeaders: 'drop',
    });
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).upstream.responseValidation).toBe('report');
    expect(loadConfig({ UPSTREAM_RESPONSE_VALIDATION: 'enforce' }).upstream.gatewayResponseValidation).toBe('enforce');
  });

  it('reports every bad upstream variable at once', () => {
    expect(
      configProblems({
        UPSTREAM_URL: 'ftp://backend',
        UPSTREAM_TIMEOUT_MS: '0',
        UPSTREAM_ERRORS: 'hide',
        UPSTREAM_RESPONSE_VALIDATION: 'strict',
        UPSTREAM_USER_HEADER: 'X User',
        UPSTREAM_CLAIM_HEADERS: 'email,a b',
        UPSTREAM_AUTHORIZATION: 'drop',
        UPSTREAM_UNDERSCORE_HEADERS: 'allow',
      }),
    ).toEqual([
      'UPSTREAM_URL must use http:// or https:// (got "ftp://backend").',
      'UPSTREAM_USER_HEADER must be a header name (got "X User").',
      'UPSTREAM_CLAIM_HEADERS has "a b", which is not a claim name (letters, digits, _ and -).',
      'UPSTREAM_TIMEOUT_MS must be an integer from 1 to 3600000 (got "0").',
      'UPSTREAM_ERRORS must be "normalize" or "pass" (got "hide").',
      'UPSTREAM_RESPONSE_VALIDATION must be "enforce" or "report" or "off" (got "strict").',
      'UPSTREAM_AUTHORIZATION must be "forward" or "strip" (got "drop").',
      'UPSTREAM_UNDERSCORE_HEADERS must be "drop" or "refuse" (got "allow").',
    ]);
    expect(configProblems({ UPSTREAM_HEALTH_PATH: 'healthz', UPSTREAM_HEALTH_INTERVAL_MS: '10', IDEMPOTENCY_MAX_ENTRIES: '0', IDEMPOTENCY_MAX_BYTES: '1000' })).toEqual([
      'UPSTREAM_HEALTH_PATH must be a path starting with / (got "healthz"). Example: /healthz',
      'UPSTREAM_HEALTH_INTERVAL_MS must be an integer from 100 to 600000 (got "10").',
      'IDEMPOTENCY_MAX_ENTRIES must be an integer from 1 to 100000000 (got "0").',
      'IDEMPOTENCY_MAX_BYTES must be an integer from 1048576 to 68719476736 (got "1000").',
    ]);
    expect(configProblems({ UPSTREAM_PIPELINING: '0' })).toEqual(['UPSTREAM_PIPELINING must be an integer from 1 to 64 (got "0").']);
    expect(loadConfig({ UPSTREAM_PIPELINING: '8' }).upstream.pipelining).toBe(8);
    expect(loadConfig({ UPSTREAM_HEALTH_PATH: '/v1/healthz', UPSTREAM_HEALTH_INTERVAL_MS: '2000' }).upstream).toMatchObject({ healthPath: '/v1/healthz', healthIntervalMs: 2000 });
    expect(configProblems({ UPSTREAM_URL: 'http://127.0.0.1:8001/api?x=1' })).toEqual(['UPSTREAM_URL must not have a query or fragment (got "http://127.0.0.1:8001/api?x=1").']);
  });
});
