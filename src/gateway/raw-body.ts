/**
 * The request body as the forwarder sends it: the bytes the body stage read (src/pipeline/body.ts
 * keeps them in the request state, with any Content-Encoding undone). Inside an Express app whose
 * own parser read the stream first, only the parsed value is left, and it is sent as JSON.
 */
import type { RequestState } from '../pipeline/state.js';

/** The body bytes to forward, or undefined when the request has none. */
export function rawBodyOf(state: RequestState): Buffer | undefined {
  if (state.rawBody !== undefined) return state.rawBody.length === 0 ? undefined : state.rawBody;
  if (state.body === undefined) return undefined;
  return Buffer.isBuffer(state.body) ? state.body : Buffer.from(JSON.stringify(state.body));
}
