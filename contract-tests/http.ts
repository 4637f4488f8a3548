/**
 * Builds the wire request for a request case (URL, credentials per security scheme, body) and
 * renders it as a minimal curl command (credentials stay in $TOKEN, never printed); sending is
 * contract-tests/transport.ts.
 */
import type { ParameterValue, RequestCase } from './cases.js';
import type { Operation, SchemeUse } from './spec.js';
import type { SentRequest } from './transport.js';

/** The credentials a run has, one per kind of scheme. */
export interface Credentials {
  /** A bearer token (http bearer, oauth2, openIdConnect). */
  readonly bearer?: string;
  /** `user:password` for http basic. */
  readonly basic?: string;
  /** The key for every apiKey scheme not named in `apiKeys` (sent where each scheme says). */
  readonly apiKey?: string;
  /** Keys by security scheme name, or by the header, query parameter or cookie name the scheme sends it in. */
  readonly apiKeys?: Readonly<Record<string, string>>;
}

/** How requests are sent: where, from which Origin, with which credentials. */
export interface Target {
  readonly baseUrl: string;
  readonly origin: string;
  /** A bearer token; undefined: none (kept for callers that only have one). */
  readonly token: string | undefined;
  readonly credentials?: Credentials;
  /** Milliseconds one request may take (default 10 s). */
  readonly requestTimeoutMs?: number;
}

export { send, type Exchange, type SentRequest } from './transport.js';

/** A path segment value on the wire: percent-encoded, and `.`/`..` encoded too so no URL handling removes them. */
export const encodePathValue = (value: string) => encodeURIComponent(value).replace(/\./g, '%2E');

/** Fills the path template and appends the query string (a list repeats its name). */
export function urlOf(baseUrl: string, path: string, pathValues: Readonly<Record<string, string>>, query: Readonly<Record<string, ParameterValue>>): string {
  const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodePathValue(pathValues[name] ?? ''));
  const search = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : v.map((item) => [k, item])))).toString();
  return `${baseUrl.replace(/\/$/, '')}${filled}${search ? `?${search}` : ''}`;
}

const credentialsOf = (target: Target): Credentials => ({ ...(target.token !== undefined ? { bearer: target.token } : {}), ...target.credentials });

/** The run's credential for one scheme, or undefined when it was given none. */
function secretFor(c: Credentials, use: SchemeUse): string | undefined {
  if (use.kind === 'bearer') return c.bearer;
  if (use.kind === 'basic') return c.basic;
  if (use.kind === 'apiKey') return c.apiKeys?.[use.name] ?? (use.parameter === undefined ? undefined : c.apiKeys?.[use.parameter]) ?? c.apiKey;
  return undefined;
}

/** The security alternative the run's credentials satisfy (the first), or undefined: credentials are never sent for another scheme. */
export function alternativeFor(op: Operation, target: Target): readonly SchemeUse[] | undefined {
  const c = credentialsOf(target);
  return op.security.find((alternative) => alternative.length > 0 && alternative.every((use) => secretFor(c, use) !== undefined));
}

/** Whether the run can send a request the operation's security accepts (public, or a credential for one whole alternative). */
export const callable = (op: Operation, target: Target) => !op.secured || alternativeFor(op, target) !== undefined;

/** The option that gives the run a credential for a scheme, or why none can. */
function optionFor(use: SchemeUse): string {
  if (use.kind === 'bearer') return '--token (or --jwt-secret)';
  if (use.kind === 'basic') return '--basic user:password';
  if (use.kind === 'apiKey') return `--api-key ${use.name}=VALUE`;
  return use.type === undefined ? `nothing: the document does not declare scheme ${use.name}` : `nothing: the runner cannot send ${use.type} scheme ${use.name}`;
}

/** Why an operation's positive checks cannot run with the run's credentials, naming the options that would enable them. */
export function missingCredentials(op: Operation, target: Target): string {
  const c = credentialsOf(target);
  const schemes = [...new Set(op.security.flat().map((use) => `${use.name} (${use.kind !== 'unsupported' ? use.kind : use.type === undefined ? 'not declared' : use.type})`))];
  const options = [...new Set(op.security.flatMap((alternative) => alternative.filter((use) => secretFor(c, use) === undefined).map(optionFor)))];
  return `no credential for its security (${schemes.join(', ')}): only the refusal of an unauthenticated request was tested; give ${options.join(' or ')}`;
}

/** Puts credentials on a request: `auth` true uses the run's, false none, a string replaces each with that text. */
function authorise(op: Operation, target: Target, auth: boolean | string, headers: Record<string, string>, query: Record<string, ParameterValue>): void {
  if (!op.secured || auth === false) return;
  const c = credentialsOf(target);
  const cookies: string[] = [];
  for (const use of alternativeFor(op, target) ?? []) {
    const secret = typeof auth === 'string' ? auth : secretFor(c, use);
    if (secret === undefined) continue;
    if (use.kind === 'bearer') headers.authorization = `Bearer ${secret}`;
    else if (use.kind === 'basic') headers.authorization = `Basic ${typeof auth === 'string' ? secret : Buffer.from(secret).toString('base64')}`;
    else if (use.kind === 'apiKey' && use.parameter) {
      if (use.in === 'header') headers[use.parameter.toLowerCase()] = secret;
      else if (use.in === 'query') query[use.parameter] = secret;
      else cookies.push(`${use.parameter}=${secret}`);
    }
  }
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
}

/** Builds the wire request for a case; `auth` false drops credentials, a string replaces them. */
export function requestFor(target: Target, c: RequestCase, auth: boolean | string = true, method = c.operation.method): SentRequest {
  const headers: Record<string, string> = { origin: target.origin, ...c.headers };
  const query: Record<string, ParameterValue> = { ...c.query };
  authorise(c.operation, target, auth, headers, query);
  const body = method === 'GET' || method === 'HEAD' ? undefined : c.body;
  if (body !== undefined) headers['content-type'] = c.operation.requestBody?.contentType ?? 'application/json';
  return {
    method,
    url: urlOf(target.baseUrl, c.operation.path, c.path, query),
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The secrets a target sends, longest first (what toCurl hides). */
export function secretsOf(target: Target): string[] {
  const c = credentialsOf(target);
  return [c.bearer, c.apiKey, ...Object.values(c.apiKeys ?? {}), c.basic, c.basic === undefined ? undefined : Buffer.from(c.basic).toString('base64')]
    .filter((s): s is string => typeof s === 'string' && s.length > 0)
    .sort((a, b) => b.length - a.length);
}

/** A curl command that sends the same request (`--path-as-is` keeps `.`/`..`; HEAD is `-I`; an empty header is `-H 'name;'`); every secret shows as $TOKEN. */
export function toCurl(request: SentRequest, secrets: string | undefined | readonly string[]): string {
  const hidden = (typeof secrets === 'string' ? [secrets] : (secrets ?? [])).filter((s) => s.length > 0);
  const hide = (text: string) => hidden.reduce((t, s) => t.split(s).join('$TOKEN'), text);
  const method = request.method === 'GET' ? [] : request.method === 'HEAD' ? ['-I'] : [`-X ${request.method}`];
  const url = hide(request.url);
  const parts = ['curl -i', ...(/\/\.\.?(\/|$|\?)/.test(url) ? ['--path-as-is'] : []), ...method, url.includes('$TOKEN') ? `"${url}"` : quote(url)];
  for (const [name, value] of Object.entries(request.headers)) {
    const shown = hide(value);
    // curl drops a header given as `name:` with nothing after it; `name;` sends it empty.
    if (shown === '') {
      parts.push(`-H ${quote(`${name};`)}`);
      continue;
    }
    parts.push(`-H ${shown.includes('$TOKEN') ? `"${name}: ${shown.replace(/(["\\`])/g, '\\$1')}"` : quote(`${name}: ${shown}`)}`);
  }
  if (request.body !== undefined) parts.push(`--data-raw ${quote(request.body)}`);
  return parts.join(' ');
}
