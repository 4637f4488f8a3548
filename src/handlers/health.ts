/** Handlers for the `health` tag: liveness (the process answers) and readiness (the database, its pool, Redis when configured and, in gateway mode, the upstreams). */
import type { Handler } from '../contract/handler.js';
import { DatabaseFault } from '../db/errors.js';

/** GET /livez: 200 whenever the process can answer at all; never asks the database. */
export const getLiveness: Handler<'getLiveness'> = async (_input, { apiVersion }) => ({ status: 200, body: { status: 'ok', version: apiVersion } });

/**
 * GET /health: 200 ok, or 503 degraded when the database does not answer or the pool stays busy,
 * when Redis is down and RATE_LIMIT_FAILURE=closed makes limited operations refuse service, or
 * when an upstream's circuit is open (gateway mode).
 */
export const getHealth: Handler<'getHealth'> = async (_input, { db, apiVersion, limits, upstreams }) => {
  const pool = db.pool ? { pool: db.pool() } : {};
  const redis = limits.store.kind === 'redis' ? { redis: limits.store.available ? ('up' as const) : ('down' as const) } : {};
  const states = upstreams();
  const gateway = states.length > 0 ? { upstreams: [...states] } : {};
  let database: 'up' | 'busy' | 'down' = 'up';
  try {
    await db.ping();
  } catch (error) {
    database = error instanceof DatabaseFault && error.code === 'pool_exhausted' ? 'busy' : 'down';
  }
  const degraded = database !== 'up' || (redis.redis === 'down' && limits.failClosed) || states.some((upstream) => upstream.state === 'open');
  if (!degraded) return { status: 200, body: { status: 'ok', database, ...redis, version: apiVersion, ...pool, ...gateway } };
  return { status: 503, body: { status: 'degraded', database, ...redis, version: apiVersion, ...pool, ...gateway }, headers: { 'Retry-After': 5 } };
};
