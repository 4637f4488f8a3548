/**
 * The JWKS key source (JWKS_URL): the set is fetched at start-up and kept in memory; an unknown
 * `kid` refetches it at most once per cooldown, a set older than maxAge is refetched in the
 * background, and a failed fetch keeps the last good set. Keys are imported once per set by
 * jose's createLocalJWKSet; nothing in a token's header (jku, x5u, jwk) is ever fetched.
 */
import { createLocalJWKSet, errors, type JWK, type JWTVerifyGetKey } from 'jose';
import { JWT_DEFAULTS } from '../config/jwt.js';
import type { Logger } from '../logger.js';

/** How often the set may be refetched, and how long a fetch may take. */
export interface JwksOptions {
  /** Minimum time between two fetches caused by unknown kids or a stale set. */
  readonly cooldownMs: number;
  /** Age after which the set is refetched in the background (removed keys stop verifying). */
  readonly maxAgeMs: number;
  readonly timeoutMs: number;
}

/** Defaults: JWKS_COOLDOWN and JWKS_MAX_AGE's (refetch at most every 30 s, refresh every 10 min); give up a fetch after 5 s. */
export const DEFAULT_JWKS_OPTIONS: JwksOptions = { cooldownMs: JWT_DEFAULTS.jwksCooldown * 1000, maxAgeMs: JWT_DEFAULTS.jwksMaxAge * 1000, timeoutMs: 5_000 };

/** A cached, self-refreshing JSON Web Key Set. */
export interface JwksSource {
  /** The key resolver jose's jwtVerify calls with the token's protected header. */
  readonly getKey: JWTVerifyGetKey;
  /** Fetches the set now; rejects with an operator-readable reason when it cannot. */
  refresh(): Promise<void>;
  /** Registers a listener called whenever a fetch brings a different set. */
  onChange(listener: () => void): void;
}

/** Why the set could not be fetched, in words safe for an operator's log. */
export class JwksUnavailable extends Error {
  override name = 'JwksUnavailable';
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

function reasonOf(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' ? code : 'network error';
}

async function download(url: string, timeoutMs: number): Promise<JWK[]> {
  let response: Response;
  try {
    response = await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/jwk-set+json, application/json' },
    });
  } catch (error) {
    throw new JwksUnavailable(reasonOf(error));
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new JwksUnavailable(`HTTP ${response.status}`);
  }
  const body: unknown = await response.json().catch(() => undefined);
  const keys = (body as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(keys)) throw new JwksUnavailable('the response is not a JSON Web Key Set ({"keys": [...]})');
  // Only public keys verify; a private or symmetric member in a published set is a leak, not a key.
  return keys.filter((k): k is JWK => typeof k === 'object' && k !== null && !PRIVATE_MEMBERS.some((m) => m in k));
}

/** Creates the source for `url`; call refresh() once before serving. */
export function jwksSource(url: string, log: Logger, options: JwksOptions = DEFAULT_JWKS_OPTIONS): JwksSource {
  let local = createLocalJWKSet({ keys: [] });
  let fingerprint = '[]';
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;
  const listeners: (() => void)[] = [];

  async function load() {
    attemptedAt = Date.now();
    const keys = await download(url, options.timeoutMs);
    local = createLocalJWKSet({ keys });
    fetchedAt = Date.now();
    const next = JSON.stringify(keys);
    if (next !== fingerprint) {
      fingerprint = next;
      for (const listener of listeners) listener();
    }
  }

  function refresh(): Promise<void> {
    pending ??= load().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  async function refreshKeepingCache() {
    try {
      await refresh();
    } catch (error) {
      log.warn({ jwks_url: url, reason: error instanceof Error ? error.message : 'unknown' }, 'JWKS refresh failed; keeping the cached keys');
    }
  }

  const coolingDown = () => Date.now() - attemptedAt < options.cooldownMs;

  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (Date.now() - fetchedAt >= options.maxAgeMs && !coolingDown()) void refreshKeepingCache();
    try {
      return await local(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      if (pending === undefined && coolingDown()) throw error;
      await refreshKeepingCache(); // joins a fetch already under way
      return local(header, token);
    }
  };

  return { getKey, refresh, onChange: (listener) => void listeners.push(listener) };
}
