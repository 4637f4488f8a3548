/** Handlers for the `health` tag: liveness (the process answers) and readiness (the database, its pool and, in gateway mode, its upstreams). */
import type { Handler } from '../contract/handler.js';
import { DatabaseFault } from '../db/errors.js';

/** GET /livez: 200 whenever the process can answer at all; never asks the database. */
export const getLiveness: Handler<'getLiveness'> = async (_input, { apiVersion }) => ({ status: 200, body: { status: 'ok', version: apiVersion } });

/** GET /health: 200 ok, or 503 degraded when the database does not answer or the pool stays busy; with the pool's use where there is one. */
export const getHealth: Handler<'getHealth'> = async (_input, { db, apiVersion, upstreams }) => {
  const pool = db.pool ? { pool: db.pool() } : {};
  const states = upstreams();
  const gateway = states.length > 0 ? { upstreams: [...states] } : {};
  try {
    await db.ping();
  } catch (error) {
    const database = error instanceof DatabaseFault && error.code === 'pool_exhausted' ? 'busy' : 'down';
    return { status: 503, body: { status: 'degraded', database, version: apiVersion, ...pool, ...gateway }, headers: { 'Retry-After': 5 } };
  }
  if (states.some((upstream) => upstream.state === 'open')) {
    return { status: 503, body: { status: 'degraded', database: 'up', version: apiVersion, ...pool, ...gateway }, headers: { 'Retry-After': 5 } };
  }
  return { status: 200, body: { status: 'ok', database: 'up', version: apiVersion, ...pool, ...gateway } };
};
