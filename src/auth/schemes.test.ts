import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import type { OpenApiDocument } from '../contract/spec.js';
import { capturingLogger } from '../testing/capture-log.js';
import { startJwksServer, type TestJwksServer } from '../testing/jwks-server.js';
import { startMock, type TestMock } from '../testing/mock-server.js';
import { generateSigningKey, mintSigned, mintToken, TEST_JWT_SECRET, type TestSigningKey } from '../testing/tokens.js';
import { discoverOpenIdVerifiers } from './openid.js';

const ok = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'string' }, example: 'in' } } } };
const op = (operationId: string, scheme: string, scopes: string[] = []) => ({ get: { operationId, security: [{ [scheme]: scopes }], responses: ok } });

/** One operation per scheme; the openIdConnect scheme's discovery URL is filled in per test. */
const documentFor = (openIdConnectUrl: string): OpenApiDocument => ({
  openapi: '3.1.0',
  info: { title: 'schemes', version: '1' },
  paths: {
    '/bearer': op('bearer', 'bearer'),
    '/basic': op('basic', 'basic'),
    '/header': op('header', 'headerKey'),
    '/query': op('query', 'queryKey'),
    '/cookie': op('cookie', 'cookieKey'),
    '/oauth': op('oauth', 'oauth', ['pets:write']),
    '/oidc': op('oidc', 'oidc'),
    '/mtls': op('mtls', 'mtls'),
    '/odd': op('odd', 'odd'),
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      basic: { type: 'http', scheme: 'basic' },
      headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      queryKey: { type: 'apiKey', in: 'query', name: 'api_key' },
      cookieKey: { type: 'apiKey', in: 'cookie', name: 'session' },
      oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://auth.invalid/token', scopes: { 'pets:write': 'write' } } } },
      oidc: { type: 'openIdConnect', openIdConnectUrl },
      mtls: { type: 'mutualTLS' },
      odd: { type: 'carrierPigeon' },
    },
  },
});

let jwks: TestJwksServer;
let discovery: Server;
let discoveryBase: string;
let key: TestSigningKey;
let mock: TestMock;
const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' });

beforeAll(async () => {
  key = await generateSigningKey('ES256');
  jwks = await startJwksServer([key.jwk]);
  discovery = createServer((req, res) => {
    if (req.url !== '/issuer/.well-known/openid-configuration') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: `${discoveryBase}/issuer`, jwks_uri: jwks.url }));
  });
  await new Promise<void>((resolve) => discovery.listen(0, '127.0.0.1', resolve));
  discoveryBase = `http://127.0.0.1:${(discovery.address() as AddressInfo).port}`;
  const document = documentFor(`${discoveryBase}/issuer`);
  const { log } = capturingLogger();
  mock = await startMock(document, { schemeVerifiers: await discoverOpenIdVerifiers(document, config, log) });
});
afterAll(async () => {
  await mock.close();
  await jwks.close();
  await new Promise<void>((resolve) => discovery.close(() => resolve()));
});

describe('security schemes in mock mode', () => {
  it('http bearer verifies the JWT', async () => {
    expect((await mock.request('/bearer')).status).toBe(401);
    expect((await mock.request('/bearer', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await mock.request('/bearer', { headers: { authorization: `Bearer ${await mintToken('u')}` } })).status).toBe(200);
  });

  it('http basic requires Basic credentials, with a Basic challenge', async () => {
    const refused = await mock.request('/basic', { headers: { authorization: `Bearer ${await mintToken('u')}` } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Basic realm="api"');
    expect((await mock.request('/basic', { headers: { authorization: 'Basic dTpw' } })).status).toBe(200);
  });

  it('apiKey requires a non-empty key in the declared header, query parameter or cookie', async () => {
    expect((await mock.request('/header')).status).toBe(401);
    expect((await mock.request('/header', { headers: { 'x-api-key': 'k' } })).status).toBe(200);
    expect((await mock.request('/query?api_key=')).status).toBe(401);
    expect((await mock.request('/query?api_key=k')).status).toBe(200);
    expect((await mock.request('/cookie', { headers: { cookie: 'other=1' } })).status).toBe(401);
    expect((await mock.request('/cookie', { headers: { cookie: 'other=1; session=abc' } })).status).toBe(200);
  });

  it('oauth2 verifies a bearer JWT and its scopes', async () => {
    expect((await mock.request('/oauth', { headers: { authorization: `Bearer ${await mintToken('u', { scope: 'pets:read' })}` } })).status).toBe(403);
    expect((await mock.request('/oauth', { headers: { authorization: `Bearer ${await mintToken('u', { scope: 'pets:read pets:write' })}` } })).status).toBe(200);
  });

  it("openIdConnect verifies tokens signed with the keys behind the issuer's discovery document", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await mintSigned(key, { sub: 'u', iat: now, exp: now + 60 });
    expect((await mock.request('/oidc', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await mock.request('/bearer', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('mutualTLS and unknown scheme types answer 401 and were reported once at start-up', async () => {
    const res = await mock.request('/mtls');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error_type: 'authentication_error', detail: 'The security scheme mtls (mutualTLS) is not supported by this server.' });
    expect((await mock.request('/odd')).status).toBe(401);
    expect(mock.warnings).toEqual([
      'security scheme mtls: mutualTLS is not supported: its operations answer 401',
      'security scheme odd: unknown scheme type "carrierPigeon": its operations answer 401',
    ]);
  });

  it('a discovery that fails is a warning, not a crash', async () => {
    const { log, lines } = capturingLogger();
    const verifiers = await discoverOpenIdVerifiers(documentFor(`${discoveryBase}/elsewhere`), config, log);
    expect(verifiers).toEqual({});
    expect(lines.map((l) => l.msg)).toEqual([expect.stringMatching(/^openIdConnect scheme oidc: discovery failed \(HTTP 404\)/)]);
  });
});
