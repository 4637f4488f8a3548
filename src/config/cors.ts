/** Which browser origins may call the API: CORS_ORIGINS, CORS_ORIGIN_REGEX, CORS_MAX_AGE (docs/cors.md). */

import { integer, list, type Env } from './readers.js';

/** The CORS policy src/pipeline/cors.ts applies. */
export interface CorsConfig {
  readonly origins: readonly string[];
  readonly originRegex: RegExp | undefined;
  readonly maxAge: number;
}

/** The frontends a development server allows when CORS_ORIGINS is unset (production allows none). */
const DEVELOPMENT_ORIGINS = [
  'http://localhost:3000',
  'http://localhost:5173',
  'http://127.0.0.1:3000',
  'http://127.0.0.1:5173',
];

/** CORS_MAX_AGE when unset: seconds a browser may cache a preflight. */
export const CORS_MAX_AGE_DEFAULT = 600;

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
  const listed = list(env, 'CORS_ORIGINS');
  for (const origin of listed) {
    const problem = originProblem(origin);
    if (problem) problems.push(problem);
  }
  return listed;
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

/** CORS_ORIGINS, CORS_ORIGIN_REGEX and CORS_MAX_AGE, each origin checked as a browser would send it. */
export function cors(env: Env, production: boolean, problems: string[]): CorsConfig {
  return {
    origins: origins(env, production, problems),
    originRegex: originRegex(env, problems),
    maxAge: integer(env, 'CORS_MAX_AGE', CORS_MAX_AGE_DEFAULT, 0, 86400, problems),
  };
}
