/** Handlers for the `health` tag: liveness (the process answers) and readiness (the database and its pool). */
import type { Handler } from '../contract/handler.js';
import { DatabaseFault } from '../db/errors.js';

/** GET /livez: 200 whenever the process can answer at all; never asks the database. */
export const getLiveness: Handler<'getLiveness'> = async (_input, { apiVersion }) => ({ status: 200, body: { status: 'ok', version: apiVersion } });

/** GET /health: 200 ok, or 503 degraded when the database does not answer or the pool stays busy; with the pool's use where there is one. */
export const getHealth: Handler<'getHealth'> = async (_input, { db, apiVersion }) => {
  const pool = db.pool ? { pool: db.pool() } : {};
  try {
    await db.ping();
    return { status: 200, body: { status: 'ok', database: 'up', version: apiVersion, ...pool } };
  } catch (error) {
    const database = error instanceof DatabaseFault && error.code === 'pool_exhausted' ? 'busy' : 'down';
    return { status: 503, body: { status: 'degraded', database, version: apiVersion, ...pool }, headers: { 'Retry-After': 5 } };
  }
};
