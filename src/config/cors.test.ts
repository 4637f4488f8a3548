import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

/** The problems loadConfig reports for this environment (none → []). */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig({ NODE_ENV: 'test', ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('CORS configuration', () => {
  it('allows the localhost development origins by default outside production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).cors).toEqual({
      origins: ['http://localhost:3000', 'http://localhost:5173', 'http://127.0.0.1:3000', 'http://127.0.0.1:5173'],
      originRegex: undefined,
      maxAge: 600,
    });
  });

  it('allows no cross-origin caller by default in production', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40) });
    expect(config.cors.origins).toEqual([]);
  });

  it('reads an exact list, a regex and Max-Age', () => {
    const config = loadConfig({
      CORS_ORIGINS: 'https://app.example.com, https://staging.example.com:8443',
      CORS_ORIGIN_REGEX: '^https://pr-[0-9]+\\.preview\\.example\\.com$',
      CORS_MAX_AGE: '120',
    });
    expect(config.cors.origins).toEqual(['https://app.example.com', 'https://staging.example.com:8443']);
    expect(config.cors.originRegex?.test('https://pr-42.preview.example.com')).toBe(true);
    expect(config.cors.originRegex?.test('https://pr-42.preview.example.com.evil.net')).toBe(false);
    expect(config.cors.maxAge).toBe(120);
  });

  it('refuses "*", which browsers reject with credentials', () => {
    expect(problemsOf({ CORS_ORIGINS: '*' })).toEqual([
      'CORS_ORIGINS cannot be "*": browsers refuse "*" on credentialed requests, and it would let any site read your users\' data. List each frontend, e.g. CORS_ORIGINS=https://app.example.com,https://staging.example.com, or set CORS_ORIGIN_REGEX.',
    ]);
  });

  it('refuses "null", the origin of sandboxed and file:// pages', () => {
    expect(problemsOf({ CORS_ORIGINS: 'null' })).toEqual([
      'CORS_ORIGINS cannot be "null": sandboxed iframes and file:// pages send it, so any of them could read responses. Serve the frontend from http(s) and list that origin.',
    ]);
  });

  it.each([
    ['https://app.example.com/', 'https://app.example.com'],
    ['https://app.example.com/login', 'https://app.example.com'],
    ['https://App.Example.com', 'https://app.example.com'],
    ['https://app.example.com:443', 'https://app.example.com'],
  ])('refuses %s and says to write %s', (given, written) => {
    expect(problemsOf({ CORS_ORIGINS: given })).toEqual([
      `CORS_ORIGINS has "${given}"; a browser sends the origin as scheme://host[:port] in lower case, without path, query, trailing slash or default port. Write "${written}".`,
    ]);
  });

  it('refuses an origin without a scheme and shows it with one', () => {
    expect(problemsOf({ CORS_ORIGINS: 'localhost:5173' })).toEqual([
      'CORS_ORIGINS has "localhost:5173", which is not an http(s) origin. Write it with its scheme, e.g. http://localhost:5173.',
    ]);
    expect(problemsOf({ CORS_ORIGINS: 'app.example.com' })).toEqual([
      'CORS_ORIGINS has "app.example.com", which is not an origin. Write scheme://host[:port], e.g. http://app.example.com.',
    ]);
  });

  it('refuses an invalid regex', () => {
    expect(problemsOf({ CORS_ORIGIN_REGEX: '^https://(app$' })).toEqual([
      'CORS_ORIGIN_REGEX is not a valid regular expression (got "^https://(app$"). Example: CORS_ORIGIN_REGEX=^https://[a-z0-9-]+\\.example\\.com$',
    ]);
  });

  it('refuses a regex without an end anchor, which a longer origin would also match', () => {
    expect(problemsOf({ CORS_ORIGIN_REGEX: '^https://app\\.example\\.com' })).toEqual([
      'CORS_ORIGIN_REGEX must end with "$" so no longer origin matches (got "^https://app\\.example\\.com"). Example: CORS_ORIGIN_REGEX=^https://[a-z0-9-]+\\.example\\.com$',
    ]);
  });

  it('refuses a regex that matches any origin', () => {
    expect(problemsOf({ CORS_ORIGIN_REGEX: '.*$' })).toEqual([
      'CORS_ORIGIN_REGEX ".*$" matches any origin, which is "*" with credentials. Example: CORS_ORIGIN_REGEX=^https://[a-z0-9-]+\\.example\\.com$',
    ]);
  });

  it.each(['-1', 'ten', '86401'])('refuses CORS_MAX_AGE=%s', (value) => {
    expect(problemsOf({ CORS_MAX_AGE: value })).toEqual([`CORS_MAX_AGE must be an integer from 0 to 86400 (got "${value}").`]);
  });

  it('reports every CORS problem at once', () => {
    expect(problemsOf({ CORS_ORIGINS: '*,https://a.example.com/', CORS_ORIGIN_REGEX: '(', CORS_MAX_AGE: 'x' })).toHaveLength(4);
  });
});
