/**
 * The authenticate stage on a small fixture spec (not the Tasks API): security: [] is public,
 * global security is inherited, alternatives are OR, schemes within one are AND, scopes the spec
 * names must all be in the token (403 insufficient_scope), and an unregistered scheme refuses start-up.
 */
import type { AddressInfo } from 'node:net';
import { mount } from './pipeline.js';
import type { RequestStage } from './stage.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAuth, type SecurityHandler } from '../auth/bearer.js';
import { createTokenVerifier } from '../auth/verifier.js';
import { loadConfig } from '../config/index.js';
import { contractFrom } from '../contract/spec.js';
import { authenticationError } from '../errors.js';
import { createHttpServer } from '../serve/http-server.js';
import { createLogger } from '../logger.js';
import { mintToken, TEST_JWT_SECRET } from '../testing/tokens.js';
import { authenticate } from './authenticate.js';
import { formatError } from './format-error.js';
import { requestId } from './request-id.js';
import { route, routeIndex } from './route.js';
import { stateOf } from './state.js';

const ok = { '200': { description: 'ok' } };
const get = (operationId: string, security?: unknown) => ({ get: { operationId, responses: ok, ...(security ? { security } : {}) } });
const contract = contractFrom({
  openapi: '3.1.0',
  info: { title: 'security fixture', version: '1.0.0' },
  security: [{ bearerAuth: [] }],
  paths: {
    '/public': get('open', []),
    '/inherited': get('inherited'),
    '/read': get('read', [{ bearerAuth: ['tasks:read'] }]),
    '/admin': get('admin', [{ bearerAuth: ['tasks:read', 'tasks:admin'] }]),
    '/either': get('either', [{ apiKey: [] }, { bearerAuth: [] }]),
    '/both': get('both', [{ bearerAuth: [], apiKey: [] }]),
  },
  components: {
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' }, apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
  },
});

const apiKey: SecurityHandler = async (req) => {
  if (req.headers['x-api-key'] !== 'key-1') throw authenticationError('API key required.', 'ApiKey');
  return { userId: 'service-1', scopes: [] };
};

let base: string;
let close: () => void;
beforeAll(async () => {
  const log = createLogger('silent');
  const verifier = await createTokenVerifier(loadConfig({ JWT_SECRET: TEST_JWT_SECRET }).jwt, log);
  const answer: RequestStage = (_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ caller: stateOf(res).userId ?? null }));
  };
  const app = mount([
    { name: 'request-id', handlers: [requestId(log)] },
    { name: 'route', handlers: [route(routeIndex(contract))] },
    { name: 'authenticate', handlers: [authenticate(contract, { bearerAuth: bearerAuth(verifier), apiKey })] },
    { name: 'answer', handlers: [answer] },
    { name: 'format-error', handlers: [formatError(log)] },
  ]);
  const server = createHttpServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

async function call(path: string, { token, key }: { token?: string; key?: string } = {}) {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (key !== undefined) headers['x-api-key'] = key;
  const res = await fetch(base + path, { headers });
  const body = await res.json();
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: { ...body, request_id: undefined } };
}

const unauthenticated = (detail: string, challenge: string) => ({
  status: 401,
  challenge,
  body: { detail, status_code: 401, error_type: 'authentication_error', request_id: undefined },
});
const NO_TOKEN = unauthenticated('Bearer token required.', 'Bearer realm="api"');
const NO_KEY = unauthenticated('API key required.', 'ApiKey');
const granted = (caller: string | null) => ({ status: 200, challenge: null, body: { caller, request_id: undefined } });

describe('security requirements from the spec', () => {
  it('lets anyone call an operation with security: []', async () => {
    expect(await call('/public')).toEqual(granted(null));
  });

  it('applies the global requirement to an operation that declares none', async () => {
    expect(await call('/inherited')).toEqual(NO_TOKEN);
    expect(await call('/inherited', { token: await mintToken('user-a') })).toEqual(granted('user-a'));
  });

  it('accepts either alternative (OR) and reports the first failure when none holds', async () => {
    expect(await call('/either', { key: 'key-1' })).toEqual(granted('service-1'));
    expect(await call('/either', { token: await mintToken('user-a') })).toEqual(granted('user-a'));
    expect(await call('/either')).toEqual(NO_KEY);
  });

  it('needs every scheme of one requirement (AND); the caller is the first scheme’s', async () => {
    const token = await mintToken('user-a');
    expect(await call('/both', { token })).toEqual(NO_KEY);
    expect(await call('/both', { key: 'key-1' })).toEqual(NO_TOKEN);
    expect(await call('/both', { token, key: 'key-1' })).toEqual(granted('user-a'));
  });
});

describe('scopes', () => {
  const forbidden = (missing: string) => ({
    status: 403,
    challenge: `Bearer realm="api", error="insufficient_scope", scope="${missing}"`,
    body: { detail: `The token lacks the scope(s) this operation needs: ${missing.replace(' ', ', ')}.`, status_code: 403, error_type: 'authorization_error', request_id: undefined },
  });

  it('grants a token holding every declared scope, from scope or scp', async () => {
    expect(await call('/read', { token: await mintToken('user-a', { scope: 'tasks:read' }) })).toEqual(granted('user-a'));
    expect(await call('/admin', { token: await mintToken('user-a', { scp: ['tasks:admin', 'tasks:read'] }) })).toEqual(granted('user-a'));
  });

  it('answers 403 insufficient_scope naming only the missing scopes', async () => {
    expect(await call('/read', { token: await mintToken('user-a') })).toEqual(forbidden('tasks:read'));
    expect(await call('/admin', { token: await mintToken('user-a', { scope: 'tasks:read' }) })).toEqual(forbidden('tasks:admin'));
    expect(await call('/admin', { token: await mintToken('user-a', { scope: 'tasks:readonly' }) })).toEqual(forbidden('tasks:read tasks:admin'));
  });

  it('holds a token served from the verified-token cache to the same requirements as a fresh one', async () => {
    const token = await mintToken('user-cached', { scope: 'tasks:read' });
    expect(await call('/inherited', { token })).toEqual(granted('user-cached'));
    // Every call below finds the token in the cache and authenticates without a promise.
    expect(await call('/inherited', { token })).toEqual(granted('user-cached'));
    expect(await call('/admin', { token })).toEqual(forbidden('tasks:admin'));
    expect(await call('/both', { token })).toEqual(NO_KEY);
    expect(await call('/both', { token, key: 'key-1' })).toEqual(granted('user-cached'));
    expect(await call('/either', { token, key: 'wrong' })).toEqual(granted('user-cached'));
  });

  it('checks the token before its scopes: a bad token is 401, not 403', async () => {
    const res = await call('/read', { token: await mintToken('user-a', { scope: 'tasks:read' }, 'x'.repeat(40)) });
    expect(res.status).toBe(401);
    expect(res.challenge).toBe('Bearer realm="api", error="invalid_token", error_description="bad signature"');
  });
});

describe('start-up', () => {
  it('refuses a spec that uses a scheme with no registered handler', () => {
    expect(() => authenticate(contract, { bearerAuth: apiKey })).toThrow('No security handler registered for scheme(s): apiKey');
  });
});
