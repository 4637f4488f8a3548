/** Handler for the `health` tag: whether the API and its database answer. */
import type { Handler } from '../contract/handler.js';

/** GET /health: 200 ok, or 503 degraded when the database does not answer. */
export const getHealth: Handler<'getHealth'> = async (_input, { db, apiVersion }) => {
  try {
    await db.ping();
    return { status: 200, body: { status: 'ok', database: 'up', version: apiVersion } };
  } catch {
    return { status: 503, body: { status: 'degraded', database: 'down', version: apiVersion }, headers: { 'Retry-After': 5 } };
  }
};
