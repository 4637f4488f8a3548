/** Handler for the `health` tag: whether the API, its database and (when configured) Redis answer. */
import type { Handler } from '../contract/handler.js';

/**
 * GET /health: 200 ok, or 503 degraded when the database does not answer, or when Redis is down
 * and RATE_LIMIT_FAILURE=closed makes limited operations refuse service.
 */
export const getHealth: Handler<'getHealth'> = async (_input, { db, apiVersion, limits }) => {
  const redis = limits.store.kind === 'redis' ? { redis: limits.store.available ? ('up' as const) : ('down' as const) } : {};
  let database: 'up' | 'down' = 'up';
  try {
    await db.ping();
  } catch {
    database = 'down';
  }
  const degraded = database === 'down' || (redis.redis === 'down' && limits.failClosed);
  if (!degraded) return { status: 200, body: { status: 'ok', database, ...redis, version: apiVersion } };
  return { status: 503, body: { status: 'degraded', database, ...redis, version: apiVersion }, headers: { 'Retry-After': 5 } };
};
