import { describe, expect, it } from 'vitest';
import { loadConfig } from './index.js';

const database = (env: Record<string, string>) => loadConfig(env).database;

describe('database configuration', () => {
  it('defaults to embedded PGlite under ./.data with the documented pool and timeout defaults', () => {
    expect(database({})).toEqual({
      driver: 'pglite',
      driverExplicit: false,
      url: undefined,
      dataDir: './.data',
      poolMax: 10,
      poolTimeoutMs: 2000,
      connectTimeoutMs: 5000,
      connectRetries: 2,
      statementTimeoutMs: 10_000,
      neonWsProxy: undefined,
    });
  });

  it.each([
    ['postgres://app:pw@ep-cool-river-123456.us-east-2.aws.neon.tech/app?sslmode=require', 'neon'],
    ['postgresql://app:pw@ep-cool-river-123456-pooler.eu-central-1.aws.neon.tech/app?sslmode=require', 'neon'],
    ['postgres://postgres@127.0.0.1:5432/test', 'pg'],
    ['postgres://app@db.neon.tech.example.com/app', 'pg'],
  ])('chooses the driver from DATABASE_URL: %s → %s', (url, driver) => {
    expect(database({ DATABASE_URL: url }).driver).toBe(driver);
  });

  it('lets DB_DRIVER force a driver and reads the pool settings', () => {
    expect(
      database({
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
        DB_DRIVER: 'neon',
        NEON_WS_PROXY: '127.0.0.1:9000/v1',
        DB_POOL_MAX: '3',
        DB_CONNECT_TIMEOUT_MS: '1500',
        DB_CONNECT_RETRIES: '0',
        DB_STATEMENT_TIMEOUT_MS: '250',
        PGLITE_DATA_DIR: '/var/lib/specgate',
      }),
    ).toMatchObject({ driver: 'neon', neonWsProxy: '127.0.0.1:9000/v1', poolMax: 3, connectTimeoutMs: 1500, connectRetries: 0, statementTimeoutMs: 250 });
  });

  it('reports every bad database variable at once', () => {
    expect(() => loadConfig({ DB_DRIVER: 'mysql', DB_POOL_MAX: '0', DB_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(
      [
        'Invalid configuration:',
        '  - DB_DRIVER must be "pglite", "pg" or "neon" (got "mysql").',
        '  - DB_POOL_MAX must be an integer from 1 to 1000 (got "0").',
        '  - DB_STATEMENT_TIMEOUT_MS must be an integer from 0 to 3600000 (got "soon").',
      ].join('\n'),
    );
    expect(() => loadConfig({ DB_DRIVER: 'pg' })).toThrow('DB_DRIVER=pg needs DATABASE_URL.');
  });
});
