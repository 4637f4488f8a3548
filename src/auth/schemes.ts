/**
 * The security-handler registry for any document: every `components.securitySchemes` entry
 * gets a handler by its type. Bearer-style schemes (http bearer, oauth2, openIdConnect) verify
 * the token with the configured keys; schemes our keys cannot verify (apiKey, http basic) only
 * require the credential to be present — a mock's gate, documented in docs/mock.md.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { OpenApiDocument } from '../contract/spec.js';
import { authenticationError } from '../errors.js';
import { splitTarget } from '../pipeline/state.js';
import { bearerAuth, type SecurityHandler } from './bearer.js';
import type { TokenVerifier } from './verifier.js';

function presence(scheme: Record<string, any>, name: string): SecurityHandler {
  return async function presenceHandler(req: IncomingMessage) {
    let present = false;
    const header = (name: string) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    if (scheme.type === 'http') present = /^basic +\S+/i.test(header('authorization') ?? '');
    else if (scheme.in === 'header') present = Boolean(header(String(scheme.name)));
    else if (scheme.in === 'query') present = typeof parseQuery(splitTarget(req.url ?? '/').search ?? '')[String(scheme.name)] === 'string';
    else if (scheme.in === 'cookie') present = (header('cookie') ?? '').split(';').some((c) => c.trim().startsWith(`${String(scheme.name)}=`));
    if (!present) throw authenticationError(`Credentials for ${name} are required.`, scheme.type === 'http' ? 'Basic realm="api"' : `ApiKey realm="api"`);
    return { userId: 'anonymous', scopes: [] };
  };
}

/** Security handlers for every scheme the document declares. */
export function securityHandlersFor(document: OpenApiDocument, verify: TokenVerifier): Record<string, SecurityHandler> {
  const schemes = Object.entries<Record<string, any>>(document.components?.securitySchemes ?? {});
  const bearer = bearerAuth(verify);
  return Object.fromEntries(
    schemes.map(([name, scheme]) => {
      const tokenBased = (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer') || scheme.type === 'oauth2' || scheme.type === 'openIdConnect';
      return [name, tokenBased ? bearer : presence(scheme, name)];
    }),
  );
}
