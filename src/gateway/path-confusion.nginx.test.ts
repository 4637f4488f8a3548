/**
 * Path confusion through a real nginx (`location /api/ { proxy_pass http://app/api/; }`) between
 * the gateway and the application: nginx decodes `%2F` and resolves `..` before it forwards, so a
 * public parameter must never carry them — the gateway refuses them, and rebuilds every forwarded
 * path from the template, so nginx only ever sees the resource the contract matched.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredInCi } from '../testing/required-in-ci.js';
import { edgeSpec } from '../testing/edge-spec.js';
import { startEdgeUpstream, type EdgeUpstream } from '../testing/edge-upstream.js';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { nginxStatus, startNginx, type Nginx } from '../testing/nginx.js';

const nginx = nginxStatus();
requiredInCi(nginx, 'the nginx suite in CI', 'nginx');

describe.skipIf(!nginx.available)('the gateway in front of nginx in front of the application', () => {
  let app: EdgeUpstream;
  let proxy: Nginx;
  let gateway: TestGateway;

  beforeAll(async () => {
    app = await startEdgeUpstream();
    proxy = await startNginx(app.origin);
    gateway = await startTestGateway(edgeSpec(proxy.url), { UPSTREAM_RESPONSE_VALIDATION: 'off' });
  }, 30_000);
  afterAll(async () => {
    await gateway?.close();
    await proxy?.close();
    await app?.close();
  });

  /** A GET of `target` byte for byte (fetch would resolve `%2e%2e` itself), with the answer's status and parsed body. */
  const rawGet = (origin: string, target: string) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = httpRequest(`${origin}/`, { path: target }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
      });
      req.on('error', reject);
      req.end();
    });

  /** The request targets the application received while `action` ran. */
  async function reached(action: () => Promise<unknown>): Promise<string[]> {
    const before = app.received.length;
    await action();
    return app.received.slice(before).map((r) => r.url);
  }

  it('is a real confusion: sent straight to nginx, the public path reaches the protected one and an undeclared one', async () => {
    const direct = await reached(async () => {
      await rawGet(proxy.url, '/api/public/..%2Fadmin%2Fusers');
      await rawGet(proxy.url, '/api/public/..%2F..%2Fapi%2Finternal%2Fdebug');
      await rawGet(proxy.url, '/api/public/%2e%2e/admin/users');
    });
    expect(direct).toEqual(['/api/admin/users', '/api/internal/debug', '/api/admin/users']);
  });

  it.each([
    ['..%2Fadmin%2Fusers', 'name'],
    ['..%2f..%2fapi%2finternal%2fdebug', 'name'],
    ['..%5Cadmin%5Cusers', 'name'],
    ['%2e%2e', 'name'],
    ['%2E.', 'name'],
    ['.%2e', 'name'],
  ])('refuses /api/public/%s with 400 validation_error naming the parameter; nothing reaches the application', async (value, param) => {
    const seen = await reached(async () => {
      const { status, body } = await rawGet(gateway.url, `/api/public/${value}`);
      expect(status).toBe(400);
      expect(body).toMatchObject({ error_type: 'validation_error', detail: 'The request path would reach another resource behind the gateway.' });
      expect(body.errors).toEqual([{ location: 'path', path: param, message: expect.stringMatching(/dot-segment|encoded "\/" or "\\"/) }]);
    });
    expect(seen).toEqual([]);
  });

  it('forwards the matched resource only, each parameter encoded as one segment', async () => {
    const seen = await reached(async () => {
      expect((await rawGet(gateway.url, '/api/public/a%20b%3Bc')).body).toEqual({ url: '/api/public/a%20b;c', user: null });
      expect((await rawGet(gateway.url, '/api/public/caf%C3%A9')).status).toBe(200);
      expect((await rawGet(gateway.url, '/api/publ%69c/..foo')).status).toBe(200);
    });
    // nginx re-encodes what it normalised; the segment stays one segment.
    expect(seen).toEqual(['/api/public/a%20b;c', '/api/public/caf%C3%A9', '/api/public/..foo']);
  });

  it('lets an opted-in parameter carry %2F, but never a dot-segment between its slashes', async () => {
    const seen = await reached(async () => {
      expect((await rawGet(gateway.url, '/api/files/docs%2Freadme.txt')).status).toBe(200);
      const refused = await rawGet(gateway.url, '/api/files/docs%2F..%2F..%2Fadmin%2Fusers');
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([{ location: 'path', path: 'path', message: expect.stringContaining('dot-segment') }]);
    });
    // nginx decodes what it passes on with a URI in proxy_pass: the opt-in is the operator's choice.
    expect(seen).toEqual(['/api/files/docs/readme.txt']);
  });
});
