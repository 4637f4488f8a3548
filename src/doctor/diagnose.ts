/**
 * Does what a browser does for one cross-origin fetch() — the preflight when one is needed, then
 * the request — and explains every reason the browser would refuse to show the page the answer.
 */
import {
  corsCheck,
  needsPreflight,
  preflightChecks,
  sentMethod,
  unsafeHeaderNames,
  variesOnOrigin,
  type Finding,
  type RequestHeader,
} from './rules.js';

/** What the page's fetch() would be. */
export interface DoctorRequest {
  readonly url: string;
  readonly origin: string;
  /** As written in fetch(); the browser upper-cases only the six standard names. */
  readonly method: string;
  readonly headers: readonly RequestHeader[];
  readonly credentials: boolean;
  /** The request body; '{}' when omitted on a method that has one. */
  readonly body?: string;
}

/** One HTTP exchange the doctor made. */
export interface Exchange {
  readonly label: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** The verdict: `allowed` (exit 0), `blocked` (exit 1), or `allowed-with-warnings` (exit 2). */
export interface Diagnosis {
  readonly verdict: 'allowed' | 'blocked' | 'allowed-with-warnings';
  readonly exchanges: readonly Exchange[];
  readonly findings: readonly Finding[];
  /** Headers the final response carries that the page's script cannot read (not exposed). */
  readonly unreadableHeaders: readonly string[];
}

function corsHeadersOf(headers: Headers): Record<string, string> {
  const picked: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name.startsWith('access-control-') || name === 'vary' || name === 'allow') picked[name] = value;
  });
  return picked;
}

async function send(url: string, init: RequestInit): Promise<Response | Finding> {
  try {
    return await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const inner = (error as { cause?: { code?: string; message?: string } }).cause;
    const cause = inner?.code ?? inner?.message ?? (error as Error).message;
    return {
      code: 'unreachable',
      severity: 'block',
      problem: `Nothing answered at ${url} (${cause}).`,
      console: 'net::ERR_CONNECTION_REFUSED (or a timeout), shown next to a CORS error',
      fix: 'Check the URL and that the API is running and reachable from the browser.',
    };
  }
}

function missingOrigin(status: number, what: string, originKnown: boolean, origin: string): Finding {
  if (status >= 400 && originKnown) {
    return {
      code: 'no-allow-origin-on-error',
      severity: 'block',
      problem: `${what} answered ${status} without Access-Control-Allow-Origin, although the server allows ${origin} elsewhere. The browser hides this ${status} and the page only sees "TypeError: Failed to fetch".`,
      console: "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
      fix: `Add the CORS headers to error responses too: run CORS before anything that can fail and keep its headers in the error handler. The real problem is the ${status} itself; fix it after.`,
    };
  }
  return {
    code: 'origin-not-allowed',
    severity: 'block',
    problem: `${what} answered ${status} without Access-Control-Allow-Origin: the server does not allow ${origin} (or has no CORS at all).`,
    console: "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    fix: `Add ${origin} to the allowed origins (specgate: CORS_ORIGINS=${origin}, exact scheme, host and port).`,
  };
}

/** Asks the server whether it allows the origin at all, the way a GET preflight would. */
async function originKnown(request: DoctorRequest): Promise<boolean> {
  const probe = await send(request.url, {
    method: 'OPTIONS',
    headers: { origin: request.origin, 'access-control-request-method': 'GET' },
  });
  return probe instanceof Response && probe.headers.get('access-control-allow-origin') === request.origin;
}

/** Response headers a script may always read, and ones nobody reads from a script. */
const READABLE = new Set(['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma']);
const PLUMBING = new Set(['connection', 'date', 'keep-alive', 'transfer-encoding', 'vary', 'server']);

function notExposed(headers: Headers, credentials: boolean): string[] {
  const exposed = (headers.get('access-control-expose-headers') ?? '').split(',').map((h) => h.trim().toLowerCase());
  const all = exposed.includes('*') && !credentials;
  const hidden: string[] = [];
  headers.forEach((_value, name) => {
    if (!all && !READABLE.has(name) && !PLUMBING.has(name) && !name.startsWith('access-control-') && !exposed.includes(name)) hidden.push(name);
  });
  return hidden;
}

/** The preflight, judged: what it found and whether it allowed this origin. */
async function preflight(request: DoctorRequest, method: string, exchanges: Exchange[]): Promise<{ findings: Finding[]; originAllowed: boolean }> {
  const requested = unsafeHeaderNames(request.headers);
  const res = await send(request.url, {
    method: 'OPTIONS',
    headers: {
      origin: request.origin,
      'access-control-request-method': method,
      ...(requested.length > 0 ? { 'access-control-request-headers': requested.join(',') } : {}),
    },
  });
  if (!(res instanceof Response)) return { findings: [res], originAllowed: false };
  exchanges.push({ label: `preflight OPTIONS (${[method, ...requested].join(', ')})`, status: res.status, headers: corsHeadersOf(res.headers) });
  await res.arrayBuffer();
  const what = `The preflight (${res.status})`;
  const acao = res.headers.get('access-control-allow-origin');
  if (res.status < 200 || res.status > 299) {
    const bare = acao === null ? ', and it has no Access-Control-Allow-Origin either' : '';
    return {
      originAllowed: false,
      findings: [{
        code: 'preflight-error-status',
        severity: 'block',
        problem: `${what} is not a 2xx answer${bare}: the browser stops here and never sends the ${method}.`,
        console: "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
        fix: 'Answer OPTIONS preflights with 204 and the CORS headers before routing, authentication or validation run (a preflight never carries the Authorization header).',
      }],
    };
  }
  if (acao === null) return { findings: [missingOrigin(res.status, what, false, request.origin)], originAllowed: false };
  const findings = corsCheck(res.headers, request.origin, request.credentials, what);
  if (findings.length > 0) return { findings, originAllowed: false };
  return { findings: preflightChecks(res.headers, method, requested, request.credentials), originAllowed: true };
}

function varyFinding(what: string): Finding {
  return {
    code: 'missing-vary-origin',
    severity: 'warn',
    problem: `${what} echoes the origin but has no Vary: Origin, so a browser or CDN cache may hand this answer to a page on another origin, which then fails (or one without CORS headers to this page).`,
    console: "No 'Access-Control-Allow-Origin' header is present… (only on some loads, often after another site or tab used the API)",
    fix: 'Send Vary: Origin on every response whose CORS headers depend on the Origin, errors included.',
  };
}

/** Runs the preflight (when needed) and the request, and judges them as a browser would. */
export async function diagnose(request: DoctorRequest): Promise<Diagnosis> {
  const exchanges: Exchange[] = [];
  const findings: Finding[] = [];
  let unreadableHeaders: string[] = [];
  const done = (): Diagnosis => ({
    verdict: findings.some((f) => f.severity === 'block') ? 'blocked' : findings.length > 0 ? 'allowed-with-warnings' : 'allowed',
    exchanges,
    findings,
    unreadableHeaders,
  });
  const method = sentMethod(request.method);
  if (method !== method.toUpperCase()) {
    findings.push({
      code: 'method-case',
      severity: 'block',
      problem: `fetch() sends "${method}" as written (only DELETE, GET, HEAD, OPTIONS, POST and PUT are upper-cased), and method names are case-sensitive.`,
      console: `Method ${method} is not allowed by Access-Control-Allow-Methods in preflight response.`,
      fix: `Write method: '${method.toUpperCase()}' in the fetch() call.`,
    });
    return done();
  }
  let originAllowed = false;
  if (needsPreflight(method, request.headers)) {
    const judged = await preflight(request, method, exchanges);
    findings.push(...judged.findings);
    originAllowed = judged.originAllowed;
    if (findings.length > 0) return done();
  }
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const res = await send(request.url, {
    method,
    headers: { origin: request.origin, ...Object.fromEntries(request.headers.map((h) => [h.name, h.value])) },
    ...(hasBody ? { body: request.body ?? '{}' } : {}),
  });
  if (!(res instanceof Response)) {
    findings.push(res);
    return done();
  }
  exchanges.push({ label: `${method} ${new URL(request.url).pathname}`, status: res.status, headers: corsHeadersOf(res.headers) });
  await res.arrayBuffer();
  const what = `The ${method} response`;
  const acao = res.headers.get('access-control-allow-origin');
  if (acao === null) {
    const known = originAllowed || (res.status >= 400 && (await originKnown(request)));
    findings.push(missingOrigin(res.status, what, known, request.origin));
    return done();
  }
  findings.push(...corsCheck(res.headers, request.origin, request.credentials, what));
  unreadableHeaders = notExposed(res.headers, request.credentials);
  if (acao !== '*' && !variesOnOrigin(res.headers)) findings.push(varyFinding(what));
  return done();
}
