/**
 * Does what a browser does for one cross-origin fetch() — the preflight when one is needed, then
 * the request — and explains every reason the browser would refuse to show the page the answer.
 */
import { methodCase, missingOrigin, preflightStatus, unreachable, varyMissing } from './findings.js';
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
    return unreachable(url, inner?.code ?? inner?.message ?? (error as Error).message);
  }
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
    return { findings: [preflightStatus(what, res.status, method, acao !== null)], originAllowed: false };
  }
  if (acao === null) return { findings: [missingOrigin(res.status, what, false, request.origin)], originAllowed: false };
  const findings = corsCheck(res.headers, request.origin, request.credentials, what);
  if (findings.length > 0) return { findings, originAllowed: false };
  return { findings: preflightChecks(res.headers, method, requested, request.credentials), originAllowed: true };
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
    findings.push(methodCase(method));
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
  if (acao !== '*' && !variesOnOrigin(res.headers)) findings.push(varyMissing(what));
  return done();
}
