/**
 * Verifies bearer JWTs with jose. The token's `alg` header picks the key source — HS256 → the
 * JWT_SECRET key (imported once), RS256/ES256/EdDSA → the JWKS — and each source pins its own
 * algorithms, so a token never chooses an algorithm its key is not for. Claims: exp and sub
 * required, nbf/iat honoured with the configured tolerance, iss/aud when configured.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config/index.js';
import type { Logger } from '../logger.js';
import { DEFAULT_JWKS_OPTIONS, jwksSource, type JwksOptions } from './jwks.js';
import { TokenCache, type TokenCacheOptions } from './token-cache.js';
import { categorize, invalidToken } from './token-errors.js';

/** Who a verified token speaks for. */
export interface VerifiedCaller {
  readonly userId: string;
  readonly scopes: readonly string[];
  /** The verified token's claims (gateway mode sends chosen ones upstream); absent for presence-only schemes. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** Verifies one compact JWT; rejects with a 401 ApiError naming the failed category. */
export interface TokenVerifier {
  (token: string): Promise<VerifiedCaller>;
  /** The caller of a token already verified and still cached, without a promise; undefined otherwise. */
  cached(token: string): VerifiedCaller | undefined;
}

/** Overrides for tests; operators set the same through JWT_CACHE_* and JWKS_* (src/config/jwt.ts). */
export interface VerifierOptions {
  readonly jwks?: Partial<JwksOptions>;
  readonly cache?: Partial<TokenCacheOptions>;
  /** The current time in milliseconds (tests move it instead of waiting). */
  readonly clock?: () => number;
}

/** Longer tokens are refused unread (the largest real ones are a few KB). */
export const MAX_TOKEN_LENGTH = 8192;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Header parameters that point at or carry a key: a token never brings its own key. */
const KEY_POINTERS = ['jku', 'jwk', 'x5u', 'x5c'];

/** A lone UTF-16 surrogate: not well-formed Unicode, stored by every driver as U+FFFD. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Whether a `sub` can be the caller's id, stored and compared exactly: a non-blank string of at
 * most 255 code units, without U+0000 (no Postgres text holds it) and well-formed (lone surrogates
 * would become U+FFFD, so "v\ud800" and "v\udfff" would share one owner). jose already refuses
 * payload bytes that are not UTF-8.
 */
const isSubject = (sub: unknown): sub is string =>
  typeof sub === 'string' && sub.trim() !== '' && sub.length <= 255 && !sub.includes('\u0000') && !LONE_SURROGATE.test(sub);

interface KeySource {
  readonly key: KeyObject | JWTVerifyGetKey;
  readonly algorithms: readonly string[];
}

function scopesOf(payload: JWTPayload): string[] {
  const scope = payload.scope ?? payload.scp;
  if (typeof scope === 'string') return scope.split(' ').filter((s) => s !== '');
  if (Array.isArray(scope)) return scope.filter((s): s is string => typeof s === 'string');
  return [];
}

async function keySources(config: Config['jwt'], log: Logger, options: JwksOptions) {
  const sources = new Map<string, KeySource>();
  if (config.secret !== undefined && config.secretAlgorithms.length > 0) {
    const secret = { key: createSecretKey(Buffer.from(config.secret, 'utf8')), algorithms: config.secretAlgorithms };
    for (const alg of config.secretAlgorithms) sources.set(alg, secret);
  }
  if (config.jwksUrl === undefined || config.jwksAlgorithms.length === 0) return { sources, jwks: undefined };
  const jwks = jwksSource(config.jwksUrl, log, options);
  try {
    await jwks.refresh();
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unknown error';
    if (sources.size === 0) {
      throw new Error(`JWKS_URL ${config.jwksUrl} could not be fetched (${reason}) and no other key source is configured; refusing to start.`);
    }
    log.warn({ jwks_url: config.jwksUrl, reason }, 'JWKS unreachable at start-up; JWT_SECRET tokens still verify, JWKS tokens retry the fetch');
  }
  for (const alg of config.jwksAlgorithms) sources.set(alg, { key: jwks.getKey, algorithms: config.jwksAlgorithms });
  return { sources, jwks };
}

/** Creates the verifier, fetching the JWKS first when one is configured. */
export async function createTokenVerifier(config: Config['jwt'], log: Logger, options: VerifierOptions = {}): Promise<TokenVerifier> {
  const jwksOptions = { ...DEFAULT_JWKS_OPTIONS, cooldownMs: config.jwksCooldown * 1000, maxAgeMs: config.jwksMaxAge * 1000, ...options.jwks };
  const { sources, jwks } = await keySources(config, log, jwksOptions);
  const cache = new TokenCache<VerifiedCaller>({ maxEntries: config.cacheSize, maxAgeMs: config.cacheMaxAge * 1000, ...options.cache });
  // A token verified against a key set that changed meanwhile is answered but not cached.
  let keySetGeneration = 0;
  jwks?.onChange(() => {
    keySetGeneration += 1;
    cache.clear();
  });
  const clock = options.clock ?? Date.now;

  const cached = (token: string) => cache.get(token, clock());
  async function verifyToken(token: string): Promise<VerifiedCaller> {
    const now = clock();
    const hit = cache.get(token, now);
    if (hit !== undefined) return hit;
    const generation = keySetGeneration;
    if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) throw invalidToken('malformed');
    let header: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw invalidToken('malformed');
    }
    if (KEY_POINTERS.some((name) => name in header)) throw invalidToken('unknown key');
    const source = typeof header.alg === 'string' ? sources.get(header.alg) : undefined;
    if (source === undefined) throw invalidToken('unsupported algorithm');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, source.key, {
        algorithms: [...source.algorithms],
        issuer: config.issuer,
        audience: config.audience,
        clockTolerance: config.clockTolerance,
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(now),
      }));
    } catch (error) {
      throw invalidToken(categorize(error));
    }
    if (typeof payload.iat === 'number' && payload.iat > now / 1000 + config.clockTolerance) throw invalidToken('not yet valid');
    if (!isSubject(payload.sub)) throw invalidToken('bad claims');
    const caller: VerifiedCaller = { userId: payload.sub, scopes: scopesOf(payload), claims: payload };
    if (generation === keySetGeneration) cache.set(token, caller, payload.exp!, now);
    return caller;
  }
  return Object.assign(verifyToken, { cached });
}
