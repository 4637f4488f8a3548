/**
 * The security-handler registry for any document: every `components.securitySchemes` entry
 * gets a handler by its type. `http` bearer and `oauth2` verify a bearer JWT with the configured
 * keys (oauth2 scopes are checked by the authenticate stage); `openIdConnect` does too, with the
 * keys discovered from its `openIdConnectUrl` when src/auth/openid.ts found them; `http` basic
 * (and any other `http` scheme) and `apiKey` in a header, the query or a cookie only require the
 * credential to be present — a mock's gate (docs/contract.md). `mutualTLS`, unknown types and
 * requirements naming an undeclared scheme refuse every request with a 401 and are reported once
 * at start-up through `onWarning`, never a crash.
 */
import type { IncomingMessage } from 'node:http';
import type { OpenApiDocument } from '../contract/spec.js';
import { authenticationError } from '../errors.js';
import { bearerAuth, type SecurityHandler } from './bearer.js';
import type { TokenVerifier } from './verifier.js';

/** A start-up note about a scheme that cannot be checked as declared. */
export interface SchemeWarning {
  readonly scheme: string;
  readonly reason: string;
}

const ANONYMOUS = { userId: 'anonymous', scopes: [] };

/** The value of one query parameter in the request URL, or undefined. */
function queryValue(req: IncomingMessage, name: string): string | undefined {
  const url = req.url ?? '';
  const at = url.indexOf('?');
  if (at < 0) return undefined;
  const value = new URLSearchParams(url.slice(at + 1)).get(name);
  return value === null ? undefined : value;
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** Requires a non-empty credential where an `apiKey` scheme puts it. */
function apiKey(scheme: Record<string, any>, name: string): SecurityHandler {
  const key = String(scheme.name ?? '');
  return function apiKeyHandler(req: IncomingMessage) {
    let value: string | undefined;
    if (scheme.in === 'header') {
      const raw = req.headers[key.toLowerCase()];
      value = Array.isArray(raw) ? raw[0] : raw;
    } else if (scheme.in === 'query') value = queryValue(req, key);
    else if (scheme.in === 'cookie') value = cookieValue(req, key);
    if (value === undefined || value.trim() === '') {
      throw authenticationError(`An API key is required for ${name} (${String(scheme.in)} "${key}").`, 'ApiKey realm="api"');
    }
    return ANONYMOUS;
  };
}

/** Requires `Authorization: <scheme> <credentials>` for a non-bearer `http` scheme (basic, digest …). */
function httpPresence(scheme: Record<string, any>, name: string): SecurityHandler {
  const kind = String(scheme.scheme ?? 'basic');
  const pattern = new RegExp(`^${kind.replace(/[^A-Za-z0-9-]/g, '')} +\\S+`, 'i');
  const challenge = `${kind[0]!.toUpperCase()}${kind.slice(1).toLowerCase()} realm="api"`;
  return function httpPresenceHandler(req: IncomingMessage) {
    if (!pattern.test(req.headers.authorization ?? '')) throw authenticationError(`${challenge.split(' ')[0]} credentials for ${name} are required.`, challenge);
    return ANONYMOUS;
  };
}

/** Refuses every request: a scheme specgate cannot check. */
function unsupported(name: string, type: string): SecurityHandler {
  return function unsupportedSchemeHandler() {
    throw authenticationError(`The security scheme ${name} (${type}) is not supported by this server.`);
  };
}

/** Security handlers for every scheme the document declares or its requirements name. */
export function securityHandlersFor(
  document: OpenApiDocument,
  verify: TokenVerifier,
  options: { onWarning?: (warning: SchemeWarning) => void; verifiers?: Readonly<Record<string, TokenVerifier>> } = {},
): Record<string, SecurityHandler> {
  const warn = options.onWarning ?? (() => {});
  const bearer = bearerAuth(verify);
  const handlers: Record<string, SecurityHandler> = {};
  for (const [name, scheme] of Object.entries<Record<string, any>>(document.components?.securitySchemes ?? {})) {
    const type = String(scheme?.type);
    if (type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer') handlers[name] = bearer;
    else if (type === 'http') handlers[name] = httpPresence(scheme, name);
    else if (type === 'apiKey' && ['header', 'query', 'cookie'].includes(scheme.in)) handlers[name] = apiKey(scheme, name);
    else if (type === 'oauth2') handlers[name] = bearer;
    else if (type === 'openIdConnect') handlers[name] = options.verifiers?.[name] ? bearerAuth(options.verifiers[name]) : bearer;
    else {
      handlers[name] = unsupported(name, type);
      warn({ scheme: name, reason: type === 'mutualTLS' ? 'mutualTLS is not supported: its operations answer 401' : `unknown scheme type "${type}": its operations answer 401` });
    }
  }
  const requirements = [document.security, ...Object.values<any>(document.paths ?? {}).flatMap((item) => Object.values<any>(item ?? {}).map((op) => op?.security))];
  for (const list of requirements) {
    if (!Array.isArray(list)) continue;
    for (const requirement of list) {
      for (const name of Object.keys(requirement ?? {})) {
        if (name in handlers) continue;
        handlers[name] = unsupported(name, 'undeclared');
        warn({ scheme: name, reason: 'named by a security requirement but not declared in components.securitySchemes: its operations answer 401' });
      }
    }
  }
  return handlers;
}
