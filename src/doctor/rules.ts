/**
 * The browser's CORS rules (WHATWG Fetch: CORS-safelisted methods and request headers, the CORS
 * check, the preflight's method and header checks), applied to the headers a server sent.
 */

/** A stable name for each thing the doctor can find wrong. */
export type DiagnosisCode =
  | 'unreachable'
  | 'preflight-error-status'
  | 'no-allow-origin-on-error'
  | 'origin-not-allowed'
  | 'multiple-allow-origin'
  | 'wildcard-with-credentials'
  | 'credentials-not-allowed'
  | 'method-not-allowed'
  | 'header-not-allowed'
  | 'method-case'
  | 'missing-vary-origin';

/** One problem, in plain words: what the browser does, why, and what to change. */
export interface Finding {
  readonly code: DiagnosisCode;
  /** `block`: a browser refuses; `warn`: it works now but a cache or another origin will break it. */
  readonly severity: 'block' | 'warn';
  readonly problem: string;
  /** What Chromium's console says, so people can match it to what they saw. */
  readonly console?: string;
  readonly fix: string;
}

/** A request header as the page would send it. */
export interface RequestHeader {
  readonly name: string;
  readonly value: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'POST']);
/** Method names fetch() upper-cases; any other (PATCH included) is sent exactly as written. */
export const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const SAFE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/** The method fetch() would send for what the page wrote. */
export function sentMethod(written: string): string {
  return NORMALIZED_METHODS.has(written.toUpperCase()) ? written.toUpperCase() : written;
}

/** Whether a request header is CORS-safelisted (needs no preflight). */
export function safelisted({ name, value }: RequestHeader): boolean {
  const lower = name.toLowerCase();
  if (lower === 'accept' || lower === 'accept-language' || lower === 'content-language') return value.length <= 128;
  if (lower === 'content-type') return SAFE_CONTENT_TYPES.has(value.split(';')[0]!.trim().toLowerCase());
  return false;
}

/** The lower-cased, sorted names a preflight announces in Access-Control-Request-Headers. */
export function unsafeHeaderNames(headers: readonly RequestHeader[]): string[] {
  return [...new Set(headers.filter((h) => !safelisted(h)).map((h) => h.name.toLowerCase()))].sort();
}

/** Whether the browser must send a preflight first. */
export function needsPreflight(method: string, headers: readonly RequestHeader[]): boolean {
  return !SAFE_METHODS.has(method) || unsafeHeaderNames(headers).length > 0;
}

const list = (value: string | null) => (value ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');

/** The CORS check of one response: Access-Control-Allow-Origin and, with credentials, -Allow-Credentials. */
export function corsCheck(headers: Headers, origin: string, credentials: boolean, what: string): Finding[] {
  const acao = headers.get('access-control-allow-origin');
  if (acao === null) return [];
  if (acao.includes(',')) {
    return [{
      code: 'multiple-allow-origin',
      severity: 'block',
      problem: `${what} has Access-Control-Allow-Origin "${acao}": it must hold exactly one origin.`,
      console: "The 'Access-Control-Allow-Origin' header contains multiple values",
      fix: 'Echo the one request Origin that is allowed instead of listing all of them (often two CORS layers, e.g. proxy and app, both add it).',
    }];
  }
  const findings: Finding[] = [];
  if (acao === '*' && credentials) {
    findings.push({
      code: 'wildcard-with-credentials',
      severity: 'block',
      problem: `${what} answers Access-Control-Allow-Origin "*", which browsers refuse for a request with credentials.`,
      console: "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'",
      fix: `Echo the allowed origin instead of "*" (here: Access-Control-Allow-Origin: ${origin}) and add Vary: Origin.`,
    });
  } else if (acao !== '*' && acao !== origin) {
    findings.push({
      code: 'origin-not-allowed',
      severity: 'block',
      problem: `${what} allows the origin "${acao}", not "${origin}".`,
      console: `The 'Access-Control-Allow-Origin' header has a value '${acao}' that is not equal to the supplied origin`,
      fix: `Add ${origin} to the server's allowed origins (exactly: scheme, host and port, no trailing slash).`,
    });
  }
  if (credentials && acao !== '*' && headers.get('access-control-allow-credentials') !== 'true') {
    findings.push({
      code: 'credentials-not-allowed',
      severity: 'block',
      problem: `${what} does not say Access-Control-Allow-Credentials: true, and the request is sent with credentials.`,
      console: "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'",
      fix: 'Send Access-Control-Allow-Credentials: true with the echoed origin, or call fetch() without credentials: "include".',
    });
  }
  return findings;
}

/** The preflight's method and header checks. */
export function preflightChecks(headers: Headers, method: string, requested: readonly string[], credentials: boolean): Finding[] {
  const findings: Finding[] = [];
  const methods = list(headers.get('access-control-allow-methods'));
  const anyMethod = methods.includes('*') && !credentials;
  if (!SAFE_METHODS.has(method) && !anyMethod && !methods.includes(method)) {
    findings.push({
      code: 'method-not-allowed',
      severity: 'block',
      problem: `The preflight allows the methods "${methods.join(', ')}", not ${method}.`,
      console: `Method ${method} is not allowed by Access-Control-Allow-Methods in preflight response.`,
      fix: `List ${method} in Access-Control-Allow-Methods for this path (in specgate: declare the operation in openapi.yaml).`,
    });
  }
  const allowed = list(headers.get('access-control-allow-headers')).map((h) => h.toLowerCase());
  const anyHeader = allowed.includes('*') && !credentials;
  for (const name of requested) {
    // "*" never covers Authorization.
    if (allowed.includes(name) || (anyHeader && name !== 'authorization')) continue;
    findings.push({
      code: 'header-not-allowed',
      severity: 'block',
      problem: `The preflight does not allow the request header "${name}" (allowed: "${allowed.join(', ')}").`,
      console: `Request header field ${name} is not allowed by Access-Control-Allow-Headers in preflight response.`,
      fix: `Add ${name} to Access-Control-Allow-Headers (in specgate: declare it as a header parameter in openapi.yaml).`,
    });
  }
  return findings;
}

/** Whether the response says caches must key on Origin. */
export function variesOnOrigin(headers: Headers): boolean {
  const vary = list(headers.get('vary')).map((v) => v.toLowerCase());
  return vary.includes('origin') || vary.includes('*');
}
