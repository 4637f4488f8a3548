/** The bearer-token settings of loadConfig: key sources, algorithms, and what production refuses. */
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET, loadConfig, configProblems } from './index.js';

const SECRET = 's'.repeat(40);
const JWKS = 'https://example.supabase.co/auth/v1/.well-known/jwks.json';
const problemsOf = configProblems;

describe('JWT key sources', () => {
  it('uses the development secret only when neither JWT_SECRET nor JWKS_URL is set outside production', () => {
    expect(loadConfig({}).jwt).toMatchObject({ secret: DEVELOPMENT_JWT_SECRET, usingDevelopmentSecret: true, secretAlgorithms: ['HS256'], jwksAlgorithms: [] });
    expect(loadConfig({ JWKS_URL: JWKS }).jwt).toMatchObject({ secret: undefined, usingDevelopmentSecret: false, jwksAlgorithms: ['RS256', 'ES256', 'EdDSA'], secretAlgorithms: [] });
  });

  it('runs production on JWKS_URL alone, without JWT_SECRET', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWKS_URL: JWKS, CORS_ORIGINS: 'https://app.example.com' }).jwt).toMatchObject({
      secret: undefined,
      jwksUrl: JWKS,
      jwksAlgorithms: ['RS256', 'ES256', 'EdDSA'],
    });
  });

  it('accepts both sources at once, each with its own algorithms', () => {
    expect(loadConfig({ JWT_SECRET: SECRET, JWKS_URL: JWKS }).jwt).toMatchObject({
      secret: SECRET,
      secretAlgorithms: ['HS256'],
      jwksAlgorithms: ['RS256', 'ES256', 'EdDSA'],
    });
  });

  it('needs a key source in production and refuses the development secret there', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toContain(
      'JWT_SECRET or JWKS_URL is required when NODE_ENV=production (a key source to verify bearer tokens).',
    );
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_JWT_SECRET })).toContain(
      'JWT_SECRET must not be the documented development secret when NODE_ENV=production.',
    );
  });

  it('refuses a short secret and a JWKS_URL that is not https in production', () => {
    expect(problemsOf({ JWT_SECRET: 'short' })).toEqual(['JWT_SECRET must be at least 32 bytes long.']);
    expect(problemsOf({ NODE_ENV: 'production', JWKS_URL: 'http://issuer.example/jwks.json', CORS_ORIGINS: 'https://a.example' })).toEqual([
      'JWKS_URL must use https:// (http:// only for localhost, or outside production) (got "http://issuer.example/jwks.json").',
    ]);
    expect(problemsOf({ JWKS_URL: 'not a url' })[0]).toMatch(/^JWKS_URL is not a URL \(got "not a url"\)/);
  });
});

describe('JWT_ALGORITHMS', () => {
  it('narrows each source to the algorithms named', () => {
    expect(loadConfig({ JWT_SECRET: SECRET, JWKS_URL: JWKS, JWT_ALGORITHMS: 'ES256, HS256' }).jwt).toMatchObject({
      secretAlgorithms: ['HS256'],
      jwksAlgorithms: ['ES256'],
    });
  });

  it('refuses at start-up an algorithm no configured source allows, naming it', () => {
    expect(problemsOf({ JWT_SECRET: SECRET, JWT_ALGORITHMS: 'HS256,HS512,none' })).toEqual([
      'JWT_ALGORITHMS has "HS512", "none", which the configured key sources do not allow (JWT_SECRET: HS256). It can only narrow that list.',
    ]);
    expect(problemsOf({ JWKS_URL: JWKS, JWT_ALGORITHMS: 'HS256' })).toEqual([
      'JWT_ALGORITHMS has "HS256", which the configured key sources do not allow (JWKS_URL: RS256, ES256, EdDSA). It can only narrow that list.',
    ]);
  });

  it('refuses a list with no algorithm in it', () => {
    expect(problemsOf({ JWT_SECRET: SECRET, JWT_ALGORITHMS: ' , ' })).toEqual(['JWT_ALGORITHMS must name at least one algorithm when set.']);
  });
});

describe('verified-token cache and JWKS refresh', () => {
  it('defaults to 10 000 tokens for at most 5 minutes, and a JWKS refreshed every 10 minutes, refetched at most every 30 s', () => {
    expect(loadConfig({}).jwt).toMatchObject({ cacheSize: 10_000, cacheMaxAge: 300, jwksMaxAge: 600, jwksCooldown: 30 });
  });

  it('reads JWT_CACHE_SIZE (0 turns the cache off), JWT_CACHE_MAX_AGE, JWKS_MAX_AGE and JWKS_COOLDOWN', () => {
    expect(loadConfig({ JWT_CACHE_SIZE: '0', JWT_CACHE_MAX_AGE: '60', JWKS_MAX_AGE: '3600', JWKS_COOLDOWN: '5' }).jwt).toMatchObject({
      cacheSize: 0,
      cacheMaxAge: 60,
      jwksMaxAge: 3600,
      jwksCooldown: 5,
    });
  });

  it('names every value out of range', () => {
    expect(problemsOf({ JWT_CACHE_SIZE: '-1', JWT_CACHE_MAX_AGE: '0', JWKS_MAX_AGE: '10', JWKS_COOLDOWN: 'soon' })).toEqual([
      'JWT_CACHE_SIZE must be an integer from 0 to 1000000 (got "-1").',
      'JWT_CACHE_MAX_AGE must be an integer from 1 to 3600 (got "0").',
      'JWKS_MAX_AGE must be an integer from 30 to 86400 (got "10").',
      'JWKS_COOLDOWN must be an integer from 1 to 3600 (got "soon").',
    ]);
  });
});
