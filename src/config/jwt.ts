/** How bearer tokens are verified: JWT_SECRET, JWKS_URL, JWT_ALGORITHMS, JWT_* and JWKS_* (docs/auth.md). */

import { JWKS_ALGORITHMS, SECRET_ALGORITHMS } from '../auth/algorithms.js';
import { integer, list, type Env } from './readers.js';

/** The development-only HS256 secret, documented in README; refused when NODE_ENV=production. */
export const DEVELOPMENT_JWT_SECRET = 'specgate-development-secret-do-not-use-in-production';

/** The key sources and verification limits src/auth/verifier.ts works with. */
export interface JwtConfig {
  /** The HS256 secret, or undefined when only JWKS_URL is configured. */
  readonly secret: string | undefined;
  readonly usingDevelopmentSecret: boolean;
  readonly jwksUrl: string | undefined;
  /** What JWT_SECRET may verify, after JWT_ALGORITHMS narrowed it (empty: no secret source). */
  readonly secretAlgorithms: readonly string[];
  /** What the JWKS keys may verify, after JWT_ALGORITHMS narrowed it (empty: no JWKS source). */
  readonly jwksAlgorithms: readonly string[];
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
  readonly clockTolerance: number;
  /** Verified tokens kept (JWT_CACHE_SIZE); 0 turns the cache off. */
  readonly cacheSize: number;
  /** Seconds a verified token is kept at most, even before its exp (JWT_CACHE_MAX_AGE). */
  readonly cacheMaxAge: number;
  /** Seconds after which the JWKS is refetched in the background (JWKS_MAX_AGE). */
  readonly jwksMaxAge: number;
  /** Minimum seconds between two JWKS fetches caused by unknown kids (JWKS_COOLDOWN). */
  readonly jwksCooldown: number;
}

/** The verification limits when unset (seconds, tokens); src/auth/jwks.ts and token-cache.ts default to them too. */
export const JWT_DEFAULTS = Object.freeze({ clockTolerance: 5, cacheSize: 10_000, cacheMaxAge: 300, jwksMaxAge: 600, jwksCooldown: 30 });

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function jwksUrl(env: Env, production: boolean, problems: string[]): string | undefined {
  const raw = env.JWKS_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`JWKS_URL is not a URL (got "${raw}"). Example: https://<project>.supabase.co/auth/v1/.well-known/jwks.json`);
    return undefined;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (!production || LOOPBACK.has(url.hostname)))) {
    problems.push(`JWKS_URL must use https:// (http:// only for localhost, or outside production) (got "${raw}").`);
  }
  return url.href;
}

function algorithms(env: Env, offered: { secret: boolean; jwks: boolean }, problems: string[]) {
  const secret: string[] = offered.secret ? [...SECRET_ALGORITHMS] : [];
  const jwks: string[] = offered.jwks ? [...JWKS_ALGORITHMS] : [];
  const raw = env.JWT_ALGORITHMS;
  if (raw === undefined || raw.trim() === '') return { secret, jwks };
  const wanted = list(env, 'JWT_ALGORITHMS');
  const allowed = [...secret, ...jwks];
  const refused = wanted.filter((a) => !allowed.includes(a));
  if (refused.length > 0) {
    const sources = [offered.secret && `JWT_SECRET: ${SECRET_ALGORITHMS.join(', ')}`, offered.jwks && `JWKS_URL: ${JWKS_ALGORITHMS.join(', ')}`];
    problems.push(
      `JWT_ALGORITHMS has ${refused.map((a) => `"${a}"`).join(', ')}, which the configured key sources do not allow ` +
        `(${sources.filter(Boolean).join('; ') || 'none configured'}). It can only narrow that list.`,
    );
  }
  if (wanted.length === 0) problems.push('JWT_ALGORITHMS must name at least one algorithm when set.');
  return { secret: secret.filter((a) => wanted.includes(a)), jwks: jwks.filter((a) => wanted.includes(a)) };
}

/** The key sources (the development secret only outside production) and verification limits, checked. */
export function jwt(env: Env, production: boolean, problems: string[]): JwtConfig {
  const configured = env.JWT_SECRET === '' ? undefined : env.JWT_SECRET;
  const url = jwksUrl(env, production, problems);
  const hasJwks = env.JWKS_URL !== undefined && env.JWKS_URL !== '';
  const usingDevelopmentSecret = configured === undefined && !hasJwks && !production;
  const secret = usingDevelopmentSecret ? DEVELOPMENT_JWT_SECRET : configured;
  if (configured === undefined && !hasJwks && production) {
    problems.push('JWT_SECRET or JWKS_URL is required when NODE_ENV=production (a key source to verify bearer tokens).');
  }
  if (configured !== undefined && Buffer.byteLength(configured) < 32) problems.push('JWT_SECRET must be at least 32 bytes long.');
  if (production && configured === DEVELOPMENT_JWT_SECRET) {
    problems.push('JWT_SECRET must not be the documented development secret when NODE_ENV=production.');
  }
  const algs = algorithms(env, { secret: secret !== undefined, jwks: hasJwks }, problems);
  return {
    secret,
    usingDevelopmentSecret,
    jwksUrl: url,
    secretAlgorithms: algs.secret,
    jwksAlgorithms: algs.jwks,
    issuer: env.JWT_ISSUER || undefined,
    audience: env.JWT_AUDIENCE || undefined,
    clockTolerance: integer(env, 'JWT_CLOCK_TOLERANCE', JWT_DEFAULTS.clockTolerance, 0, 300, problems),
    cacheSize: integer(env, 'JWT_CACHE_SIZE', JWT_DEFAULTS.cacheSize, 0, 1_000_000, problems),
    cacheMaxAge: integer(env, 'JWT_CACHE_MAX_AGE', JWT_DEFAULTS.cacheMaxAge, 1, 3600, problems),
    jwksMaxAge: integer(env, 'JWKS_MAX_AGE', JWT_DEFAULTS.jwksMaxAge, 30, 86_400, problems),
    jwksCooldown: integer(env, 'JWKS_COOLDOWN', JWT_DEFAULTS.jwksCooldown, 1, 3600, problems),
  };
}
