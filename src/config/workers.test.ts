/** WORKERS, METRICS_PORT and METRICS_HOST: defaults, refusals, and the warning about per-worker rate limits. */
import { describe, expect, it } from 'vitest';
import { configProblems, databaseRefusal, loadConfig } from './index.js';

const PG = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' };

describe('WORKERS and METRICS_PORT', () => {
  it('runs one process without metrics by default', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect([config.workers, config.metrics]).toEqual([1, { port: undefined, host: '0.0.0.0' }]);
  });

  it('reads the worker count, and binds metrics to HOST unless METRICS_HOST says otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'test', ...PG, WORKERS: '4', HOST: '10.0.0.5', METRICS_PORT: '9464' })).toMatchObject({ workers: 4, metrics: { port: 9464, host: '10.0.0.5' } });
    expect(loadConfig({ NODE_ENV: 'test', METRICS_PORT: '9464', METRICS_HOST: '127.0.0.1' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
  });

  it('refuses a worker count below 1, and METRICS_PORT on the API port', () => {
    expect(configProblems({ NODE_ENV: 'test', WORKERS: '0' })).toEqual(['WORKERS must be an integer from 1 to 64 (got "0").']);
    expect(configProblems({ NODE_ENV: 'test', PORT: '8000', METRICS_PORT: '8000' })).toEqual([
      'METRICS_PORT must differ from PORT (both 8000): /metrics has a listener of its own, outside the API.',
    ]);
  });

  it('refuses several workers on embedded PGlite, which serves one process', () => {
    expect(databaseRefusal(loadConfig({ NODE_ENV: 'test', WORKERS: '2' }))).toBe(
      'WORKERS=2 needs DATABASE_URL (a PostgreSQL server): embedded PGlite serves one process, and every worker must see the same data.',
    );
    expect(databaseRefusal(loadConfig({ NODE_ENV: 'test', WORKERS: '2', ...PG }))).toBeUndefined();
  });

  it('warns that workers without REDIS_URL each admit the whole rate limit', () => {
    expect(loadConfig({ NODE_ENV: 'test', WORKERS: '2', ...PG }).warnings).toEqual([
      'WORKERS=2 without REDIS_URL: each worker keeps its own rate-limit budgets, so up to 2 times each limit is admitted; set REDIS_URL to share them.',
    ]);
    expect(loadConfig({ NODE_ENV: 'test', WORKERS: '2', ...PG, REDIS_URL: 'redis://127.0.0.1:6379' }).warnings).toEqual([]);
  });
});
