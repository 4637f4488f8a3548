import { createHttpServer } from '../serve/http-server.js';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { violations } from '../../contract-tests/validator.js';
import { loadConfig } from '../config/index.js';
import type { OpenApiDocument } from '../contract/spec.js';
import { createLogger } from '../logger.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';
import { mintToken, TEST_JWT_SECRET } from '../testing/tokens.js';
import { deref } from './responses.js';
import { createTokenVerifier } from '../auth/verifier.js';
import { createMockApp } from './server.js';

const modules = new URL('../../node_modules/', import.meta.url);
const github = JSON.parse(readFileSync(new URL('@octokit/openapi/generated/api.github.com.json', modules), 'utf8')) as OpenApiDocument;
const trainTravel = JSON.parse(readFileSync(new URL('@readme/oas-examples/3.1/json/train-travel.json', modules), 'utf8')) as OpenApiDocument;
const tasks = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as OpenApiDocument;
const servers: Server[] = [];

async function serve(document: OpenApiDocument): Promise<(path: string, init?: RequestInit) => Promise<Response>> {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' });
  const log = createLogger('silent');
  const { listener: app } = createMockApp({ config, document, log, verifier: await createTokenVerifier(config.jwt, log) });
  const server = createHttpServer(app, config.cors).listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return (path, init = {}) => fetch(url + path, { ...init, headers: { origin: ALLOWED_ORIGIN, ...(init.headers as Record<string, string>) } });
}

/** The JSON schema a document declares for one operation's response. */
const schemaOf = (document: OpenApiDocument, path: string, method: string, status: string) =>
  (deref(document, document.paths[path][method].responses[status]) as any).content['application/json'].schema;

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); })));
});

describe("the mock of GitHub's REST description (OpenAPI 3.0, 1,223 operations)", () => {
  let request: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    request = await serve(github);
  });

  it('answers GET /repos/{owner}/{repo} with a body valid against the declared schema, with CORS', async () => {
    const res = await request('/repos/octocat/hello-world');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const body = await res.json();
    expect(violations(schemaOf(github, '/repos/{owner}/{repo}', 'get', '200'), body)).toEqual([]);
    expect(body).toMatchObject({ full_name: expect.any(String), owner: { login: expect.any(String) } });
  });

  it('validates requests against the document: a bad query parameter is the 422 validation_error GitHub declares (it declares no 400)', async () => {
    const res = await request('/repos/octocat/hello-world/issues?per_page=many');
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body).toMatchObject({ status_code: 422, error_type: 'validation_error', errors: [{ location: 'query', path: 'per_page', message: 'must be integer' }] });
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  });

  it('answers an undeclared path with the uniform 404', async () => {
    const res = await request('/no/such/thing/here/at/all');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status_code: 404, error_type: 'not_found' });
  });
});

describe('the mock of the Train Travel API (OpenAPI 3.1, OAuth2)', () => {
  let request: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    request = await serve(trainTravel);
  });

  it('enforces the declared security with the configured keys', async () => {
    const res = await request('/stations');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status_code: 401, error_type: 'authentication_error', detail: 'Bearer token required.' });
  });

  it('refuses a valid token without the scope the operation declares', async () => {
    const res = await request('/bookings', { method: 'POST', headers: { authorization: `Bearer ${await mintToken('u', { scope: 'read' })}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error_type: 'authorization_error' });
  });

  it('answers GET /stations from the example, valid against the schema', async () => {
    const res = await request('/stations', { headers: { authorization: `Bearer ${await mintToken('u', { scope: 'read' })}` } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual(trainTravel.paths['/stations'].get.responses['200'].content['application/json'].example);
    expect(violations(schemaOf(trainTravel, '/stations', 'get', '200'), body)).toEqual([]);
  });
});

describe('the mock of openapi.yaml itself', () => {
  it('answers createTask with its 201 example and the required Location header', async () => {
    const request = await serve(tasks);
    const res = await request('/api/tasks', {
      method: 'POST',
      headers: { authorization: `Bearer ${await mintToken('u')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Write' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toEqual(expect.any(String));
    expect(await res.json()).toEqual(tasks.paths['/api/tasks'].post.responses['201'].content['application/json'].example);
  });
});

describe('npm run mock', () => {
  it("serves GitHub's REST description from the command line and answers one of its operations", async () => {
    const file = new URL('@octokit/openapi/generated/api.github.com.json', modules).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/mock/cli.ts', file, '--port', '0', '--host', '127.0.0.1'], {
      cwd: new URL('../../', import.meta.url).pathname,
      env: { ...process.env, LOG_LEVEL: 'info', JWT_SECRET: TEST_JWT_SECRET },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`mock exited with ${code}: ${out}`)));
      });
      const res = await fetch(`${url}/orgs/octo-org/repos?per_page=5`, { headers: { origin: ALLOWED_ORIGIN } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      const body = await res.json();
      expect(Array.isArray(body)).toBe(true);
      expect(violations(schemaOf(github, '/orgs/{org}/repos', 'get', '200'), body)).toEqual([]);
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
