import { describe, expect, it } from 'vitest';
import { configProblems, loadConfig } from './index.js';

describe('gateway configuration', () => {
  it('has defaults that depend on NODE_ENV only for the Tasks API response validation (report in gateway mode)', () => {
    const dev = loadConfig({}).upstream;
    expect(dev).toEqual({
      url: undefined,
      timeoutMs: 30_000,
      errors: 'normalize',
      responseValidation: 'enforce',
      gatewayResponseValidation: 'report',
      userHeader: 'X-User-Id',
      claimHeaders: [],
      forwardAuthorization: true,
      breakerFailures: 5,
      breakerCooldown: 10,
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
    expect(configProblems({ UPSTREAM_URL: 'http://127.0.0.1:8001/api?x=1' })).toEqual(['UPSTREAM_URL must not have a query or fragment (got "http://127.0.0.1:8001/api?x=1").']);
  });
});
