/** How an OpenAPI document given as an http(s) URL is fetched at start-up: SPEC_FETCH_TIMEOUT_MS (src/contract/fetch-text.ts). */

import { integer, type Env } from './readers.js';

/** The retry budget for a document at a URL (the upstream's own /openapi.json while it starts). */
export interface SpecFetchConfig {
  /** Milliseconds to keep retrying, with exponential backoff, before start-up fails (SPEC_FETCH_TIMEOUT_MS). */
  readonly timeoutMs: number;
}

/** The retry budget when SPEC_FETCH_TIMEOUT_MS is unset. */
export const SPEC_FETCH_DEFAULTS: SpecFetchConfig = Object.freeze({ timeoutMs: 30_000 });

/** Reads SPEC_FETCH_TIMEOUT_MS (0: one attempt, no retry). */
export function specFetch(env: Env, problems: string[]): SpecFetchConfig {
  return { timeoutMs: integer(env, 'SPEC_FETCH_TIMEOUT_MS', SPEC_FETCH_DEFAULTS.timeoutMs, 0, 600_000, problems) };
}
