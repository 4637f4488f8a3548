import { beforeAll, describe, expect, it } from 'vitest';
import { inProcessApp, type InProcessApp } from '../testing/in-process.js';
import { ALLOWED_ORIGIN, FOREIGN_ORIGIN } from '../testing/server.js';

const TASK = '/api/tasks/3f1c2a4e-8b7d-4c1e-9a6f-2d5e7b8c9a01';
let server: InProcessApp;
let tuned: InProcessApp;

beforeAll(async () => {
  server = await inProcessApp();
  tuned = await inProcessApp({
    env: { CORS_ORIGINS: 'https://app.example.com', CORS_ORIGIN_REGEX: '^https://pr-[0-9]+\\.preview\\.example\\.com$', CORS_MAX_AGE: '42' },
  });
});

const preflight = (target: InProcessApp, path: string, method: string, origin = ALLOWED_ORIGIN, headers = 'authorization,content-type') =>
  target.request(path, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

function corsHeaders(res: Response): Record<string, string> {
  const picked: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name.startsWith('access-control-') || name === 'vary') picked[name] = value;
  });
  return picked;
}

describe('a preflight from an allowed Origin', () => {
  it('lists the methods the spec declares for that path, the allowed headers and Max-Age', async () => {
    const res = await preflight(server, TASK, 'PATCH');
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': ALLOWED_ORIGIN,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, DELETE, PATCH, OPTIONS',
      'access-control-allow-headers': 'Authorization, Content-Type, X-Request-ID, Idempotency-Key, If-None-Match, If-Match',
      'access-control-max-age': '600',
      vary: 'Origin, Access-Control-Request-Method',
    });
  });

  it('lists only the collection path\'s methods for the collection', async () => {
    const res = await preflight(server, '/api/tasks', 'POST');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
  });

  it('adds an undeclared requested method, so the browser sends it and shows the real 405', async () => {
    const res = await preflight(server, '/api/tasks', 'DELETE');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS, DELETE');
    const actual = await server.request('/api/tasks', { method: 'DELETE' });
    expect(actual.status).toBe(405);
    expect(actual.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  });

  it('answers for a path the spec does not declare, so the browser shows the real 404', async () => {
    const res = await preflight(server, '/api/nothing-here', 'PUT');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(res.headers.get('access-control-allow-methods')).toBe('OPTIONS, PUT');
  });

  it('does not echo a method name Node would refuse (browsers do not upper-case "patch")', async () => {
    const res = await preflight(server, TASK, 'patch');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, DELETE, PATCH, OPTIONS');
  });

  it('takes Max-Age and origins from configuration, regex included', async () => {
    for (const origin of ['https://app.example.com', 'https://pr-7.preview.example.com']) {
      const res = await preflight(tuned, '/api/tasks', 'GET', origin);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-max-age')).toBe('42');
    }
    const refused = await preflight(tuned, '/api/tasks', 'GET', 'https://pr-7.preview.example.com.evil.net');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('a preflight from a foreign Origin', () => {
  it('is answered 204 with no CORS header at all, so the browser blocks the request', async () => {
    const res = await preflight(server, TASK, 'PATCH', FOREIGN_ORIGIN);
    expect(res.status).toBe(204);
    expect(corsHeaders(res)).toEqual({ vary: 'Origin, Access-Control-Request-Method' });
  });
});

describe('an actual request', () => {
  it('from an allowed Origin echoes it, allows credentials and exposes every declared and error header', async () => {
    const res = await server.request('/health');
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': ALLOWED_ORIGIN,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'X-Request-ID, RateLimit-Policy, RateLimit, Retry-After, WWW-Authenticate, Location, Idempotent-Replayed, ETag, Allow',
      vary: 'Origin',
    });
  });

  it('without an Origin still says Vary: Origin, so a cache never serves it to a browser', async () => {
    const res = await server.request('/health', { headers: { origin: '' } });
    expect(corsHeaders(res)).toEqual({ vary: 'Origin' });
  });

  it('OPTIONS that is not a preflight is routed like any method: 405 with Allow and CORS', async () => {
    const res = await server.request('/api/tasks', { method: 'OPTIONS' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST, OPTIONS');
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect((await res.json()).detail).toBe('OPTIONS answers CORS preflights only on this path. Allowed: GET, POST, OPTIONS.');
  });
});
