/**
 * The only reader of process.env: every setting is parsed, checked and frozen here, and every
 * problem is reported at once so an operator fixes a bad deployment in one pass.
 * The names are the ones in README and .env.example (see ../shared/DESIGN.md).
 */

/** The development-only HS256 secret, documented in README; refused when NODE_ENV=production. */
export const DEVELOPMENT_JWT_SECRET = 'specgate-development-secret-do-not-use-in-production';

const DEVELOPMENT_ORIGINS = [
  'http://localhost:3000',
  'http://localhost:5173',
  'http://127.0.0.1:3000',
  'http://127.0.0.1:5173',
];

export type DbDriver = 'pglite' | 'pg';

/** The validated, frozen settings the whole server runs on. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly production: boolean;
  readonly logLevel: string;
  readonly database: { readonly driver: DbDriver; readonly url: string | undefined; readonly dataDir: string };
  readonly cors: {
    readonly origins: readonly string[];
    readonly originRegex: RegExp | undefined;
    readonly maxAge: number;
  };
  readonly jwt: {
    readonly secret: string;
    readonly usingDevelopmentSecret: boolean;
    readonly issuer: string | undefined;
    readonly audience: string | undefined;
    readonly clockTolerance: number;
  };
}

/** Thrown by loadConfig with one line per bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}").`);
    return fallback;
  }
  return value;
}

const EXAMPLE_ORIGINS = 'CORS_ORIGINS=https://app.example.com,https://staging.example.com';

function originProblem(origin: string): string | undefined {
  if (origin === '*') {
    return `CORS_ORIGINS cannot be "*": browsers refuse "*" on credentialed requests, and it would let any site read your users' data. List each frontend, e.g. ${EXAMPLE_ORIGINS}, or set CORS_ORIGIN_REGEX.`;
  }
  if (origin === 'null') {
    return 'CORS_ORIGINS cannot be "null": sandboxed iframes and file:// pages send it, so any of them could read responses. Serve the frontend from http(s) and list that origin.';
  }
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `CORS_ORIGINS has "${origin}", which is not an origin. Write scheme://host[:port], e.g. ${origin.includes('://') ? 'https://app.example.com' : `http://${origin}`}.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `CORS_ORIGINS has "${origin}", which is not an http(s) origin. Write it with its scheme, e.g. http://${origin}.`;
  }
  if (url.origin !== origin) {
    return `CORS_ORIGINS has "${origin}"; a browser sends the origin as scheme://host[:port] in lower case, without path, query, trailing slash or default port. Write "${url.origin}".`;
  }
  return undefined;
}

function origins(env: Env, production: boolean, problems: string[]): string[] {
  const raw = env.CORS_ORIGINS;
  if (raw === undefined || raw.trim() === '') return production ? [] : [...DEVELOPMENT_ORIGINS];
  const list = raw.split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const origin of list) {
    const problem = originProblem(origin);
    if (problem) problems.push(problem);
  }
  return list;
}

function originRegex(env: Env, problems: string[]): RegExp | undefined {
  const raw = env.CORS_ORIGIN_REGEX;
  if (raw === undefined || raw === '') return undefined;
  const example = 'Example: CORS_ORIGIN_REGEX=^https://[a-z0-9-]+\\.example\\.com$';
  let regex: RegExp;
  try {
    regex = new RegExp(raw.startsWith('^') ? raw : `^${raw}`);
  } catch {
    problems.push(`CORS_ORIGIN_REGEX is not a valid regular expression (got "${raw}"). ${example}`);
    return undefined;
  }
  // Without `$`, https://app.example.com would also match https://app.example.com.evil.net.
  if (!raw.endsWith('$')) {
    problems.push(`CORS_ORIGIN_REGEX must end with "$" so no longer origin matches (got "${raw}"). ${example}`);
  }
  if (regex.test('null') || regex.test('https://evil.invalid')) {
    problems.push(`CORS_ORIGIN_REGEX "${raw}" matches any origin, which is "*" with credentials. ${example}`);
  }
  return regex;
}

function database(env: Env, problems: string[]): Config['database'] {
  const url = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  const forced = env.DB_DRIVER === '' ? undefined : env.DB_DRIVER;
  if (forced !== undefined && forced !== 'pglite' && forced !== 'pg') {
    problems.push(`DB_DRIVER must be "pglite" or "pg" (got "${forced}").`);
  }
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://.');
  }
  const driver: DbDriver = forced === 'pglite' || forced === 'pg' ? forced : url === undefined ? 'pglite' : 'pg';
  if (driver === 'pg' && url === undefined) problems.push('DB_DRIVER=pg needs DATABASE_URL.');
  return { driver, url, dataDir: env.PGLITE_DATA_DIR || './.data' };
}

function jwt(env: Env, production: boolean, problems: string[]): Config['jwt'] {
  const secret = env.JWT_SECRET;
  let usingDevelopmentSecret = false;
  let value = secret ?? '';
  if (secret === undefined || secret === '') {
    if (production) problems.push('JWT_SECRET is required when NODE_ENV=production (at least 32 bytes).');
    usingDevelopmentSecret = true;
    value = DEVELOPMENT_JWT_SECRET;
  } else if (Buffer.byteLength(secret) < 32) {
    problems.push('JWT_SECRET must be at least 32 bytes long.');
  }
  if (production && value === DEVELOPMENT_JWT_SECRET) {
    problems.push('JWT_SECRET must not be the documented development secret when NODE_ENV=production.');
  }
  return {
    secret: value,
    usingDevelopmentSecret,
    issuer: env.JWT_ISSUER || undefined,
    audience: env.JWT_AUDIENCE || undefined,
    clockTolerance: integer(env, 'JWT_CLOCK_TOLERANCE', 5, 0, 300, problems),
  };
}

/** Reads and validates the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}").`);
  const config: Config = {
    port: integer(env, 'PORT', 8000, 0, 65535, problems),
    host: env.HOST || '0.0.0.0',
    production,
    logLevel,
    database: database(env, problems),
    cors: {
      origins: origins(env, production, problems),
      originRegex: originRegex(env, problems),
      maxAge: integer(env, 'CORS_MAX_AGE', 600, 0, 86400, problems),
    },
    jwt: jwt(env, production, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof RegExp)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
