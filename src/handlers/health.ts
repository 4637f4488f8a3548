/** Handler for the `health` tag: whether the API, its database and (gateway mode) its upstreams answer. */
import type { Handler } from '../contract/handler.js';

/** GET /health: 200 ok, or 503 degraded when the database does not answer or an upstream's circuit is open. */
export const getHealth: Handler<'getHealth'> = async (_input, { db, apiVersion, upstreams }) => {
  const states = upstreams();
  const gateway = states.length > 0 ? { upstreams: [...states] } : {};
  const open = states.some((upstream) => upstream.state === 'open');
  try {
    await db.ping();
  } catch {
    return { status: 503, body: { status: 'degraded', database: 'down', version: apiVersion, ...gateway }, headers: { 'Retry-After': 5 } };
  }
  if (open) return { status: 503, body: { status: 'degraded', database: 'up', version: apiVersion, ...gateway }, headers: { 'Retry-After': 5 } };
  return { status: 200, body: { status: 'ok', database: 'up', version: apiVersion, ...gateway } };
};
