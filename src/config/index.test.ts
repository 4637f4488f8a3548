import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET, loadConfig, configProblems } from './index.js';

const problemsOf = configProblems;

describe('loadConfig', () => {
  it('runs with no environment at all: port 8000, embedded database, development origins and secret', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.database).toEqual({ driver: 'pglite', driverExplicit: false, dataDir: './.data', poolMax: 10, poolTimeoutMs: 2000, connectTimeoutMs: 5000, connectRetries: 2, statementTimeoutMs: 10000 });
    expect(config.cors.origins).toEqual(['http://localhost:3000', 'http://localhost:5173', 'http://127.0.0.1:3000', 'http://127.0.0.1:5173']);
    expect(config.jwt.secret).toBe(DEVELOPMENT_JWT_SECRET);
    expect(config.jwt.usingDevelopmentSecret).toBe(true);
    expect(Object.isFrozen(config) && Object.isFrozen(config.cors.origins)).toBe(true);
  });

  it('chooses node-postgres for a postgres:// DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db.example:5432/app' }).database.driver).toBe('pg');
  });

  it('refuses production without a key source, naming the variables', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual(['JWT_SECRET or JWKS_URL is required when NODE_ENV=production (a key source to verify bearer tokens).']);
  });

  it('refuses the development secret in production', () => {
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_JWT_SECRET })).toEqual([
      'JWT_SECRET must not be the documented development secret when NODE_ENV=production.',
    ]);
  });

  it('reports every bad variable at once', () => {
    expect(
      problemsOf({ PORT: 'eighty', JWT_SECRET: 'short', LOG_LEVEL: 'loud', DB_DRIVER: 'mysql', CORS_ORIGINS: 'https://app.example.com/' }),
    ).toEqual([
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud").',
      'PORT must be an integer from 0 to 65535 (got "eighty").',
      'DB_DRIVER must be "pglite", "pg" or "neon" (got "mysql").',
      'CORS_ORIGINS has "https://app.example.com/"; a browser sends the origin as scheme://host[:port] in lower case, without path, query, trailing slash or default port. Write "https://app.example.com".',
      'JWT_SECRET must be at least 32 bytes long.',
    ]);
  });
});

describe('the documented configuration', () => {
  const sections = readdirSync(new URL('.', import.meta.url)).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
  const source = sections.map((file) => readFileSync(new URL(`./${file}`, import.meta.url), 'utf8')).join('\n');
  const read = [...new Set([...source.matchAll(/env(?:\.|, '|\[')([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!))].sort();

  it('lists every variable src/config/ reads in README and .env.example', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    expect(read.length).toBeGreaterThan(20);
    expect(read.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
    expect(read.filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(example))).toEqual([]);
  });
});
