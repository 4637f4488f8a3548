/**
 * What serve() promises, held by every entry point that documents it, each run as its own
 * process: the gateway honours HTTP_HEADERS_TIMEOUT_MS and WORKERS, two mocks on one Redis share a
 * rate-limit budget, the mock drains on SIGTERM, and a gateway with an open WebSocket exits
 * within its drain window after closing the socket with 1001 Going Away.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { documentFile, startEntry, type EntryProcess } from '../testing/entry-process.js';
import { gatewaySpec } from '../testing/gateway-spec.js';
import { hasRedisServer, redisRequired, SHARED_REDIS_URL, uniquePrefix } from '../testing/redis.js';
import { mintToken } from '../testing/tokens.js';
import { startTestUpstream, type TestUpstream } from '../testing/upstream.js';

const ORIGIN = 'http://localhost:3000';

/** A one-operation document with a per-IP limit of five requests a minute. */
const limitedDocument = () => ({
  openapi: '3.0.3',
  info: { title: 'Limited', version: '1.0.0' },
  paths: {
    '/ping': {
      get: {
        operationId: 'ping',
        'x-specgate-rate-limit': { requests: 5, per: 60, by: 'ip' },
        responses: { '429': { description: 'Too many requests' }, '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { ok: { type: 'boolean' } } }, example: { ok: true } } } } },
      },
    },
  },
});

/** Sends `head` on a raw socket and resolves with what comes back and how long it took. */
function rawExchange(url: string, head: string): Promise<{ text: string; ms: number }> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('end', () => resolve({ text, ms: Date.now() - started }));
    socket.on('error', reject);
  });
}

let upstream: TestUpstream;
beforeAll(async () => {
  upstream = await startTestUpstream();
});
afterAll(async () => {
  await upstream?.close();
});

describe('the gateway entry point (npm run gateway)', () => {
  it('answers a stalled request head with 408 in the uniform body within HTTP_HEADERS_TIMEOUT_MS', async () => {
    const gateway = await startEntry('src/gateway/cli.ts', [documentFile(gatewaySpec(upstream.url))], { UPSTREAM_URL: upstream.url, HTTP_HEADERS_TIMEOUT_MS: '2000', HTTP_REQUEST_TIMEOUT_MS: '5000' });
    try {
      const { text, ms } = await rawExchange(gateway.url, `GET /items/1 HTTP/1.1\r\nHost: x\r\nOrigin: ${ORIGIN}\r\n`);
      expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(text).toContain('"error_type":"request_timeout"');
      expect(ms).toBeGreaterThanOrEqual(1900);
      expect(ms).toBeLessThan(4000);
    } finally {
      await gateway.stop();
    }
  }, 90_000);

  it('runs as a primary and two workers with WORKERS=2, each answering', async () => {
    const gateway = await startEntry('src/gateway/cli.ts', [documentFile(gatewaySpec(upstream.url))], { UPSTREAM_URL: upstream.url, WORKERS: '2' });
    try {
      await gateway.line((l) => /with 2 workers$/.test(String(l.msg)));
      expect(gateway.log.find((l) => l.msg === 'starting 2 workers')).toBeDefined();
      // Each worker logs its own line; the primary's may reach the pipe before a worker's.
      const listening = (worker: number) => gateway.line((l) => /^gateway for .* listening/.test(String(l.msg)) && l.worker === worker, 20_000);
      await Promise.all([listening(1), listening(2)]);
      const workers = gateway.log.filter((l) => /^gateway for .* listening/.test(String(l.msg))).map((l) => l.worker);
      expect(workers.sort()).toEqual([1, 2]);
      const answers = await Promise.all(Array.from({ length: 6 }, () => fetch(`${gateway.url}/items/1`, { headers: { origin: ORIGIN } })));
      expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401]);
      expect(await gateway.stop()).toBe(0);
      expect(gateway.log.find((l) => l.msg === 'all workers stopped')).toMatchObject({ failed: false });
    } finally {
      await gateway.stop();
    }
  }, 90_000);

  it('closes an open WebSocket with 1001 and exits within its drain window on SIGTERM', async () => {
    const gateway = await startEntry('src/gateway/cli.ts', [documentFile(gatewaySpec(upstream.url))], { UPSTREAM_URL: upstream.url, SHUTDOWN_TIMEOUT_MS: '3000', CORS_ORIGINS: ORIGIN });
    try {
      const ws = new WebSocket(`${gateway.url.replace('http', 'ws')}/ws`, ['bearer', await mintToken('user-42')], { origin: ORIGIN });
      await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      const started = Date.now();
      gateway.child.kill('SIGTERM');
      expect(await closed).toBe(1001);
      expect(await gateway.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(3000 + 1500);
      expect(gateway.log.find((l) => l.msg === 'shutting down: no new connections, finishing in-flight requests')).toMatchObject({ drainMs: 3000 });
    } finally {
      await gateway.stop();
    }
  }, 90_000);

  it('lets a request finish upstream for as long as UPSTREAM_TIMEOUT_MS when the drain window is not set', async () => {
    const gateway = await startEntry('src/gateway/cli.ts', [documentFile(gatewaySpec(upstream.url))], { UPSTREAM_URL: upstream.url, UPSTREAM_TIMEOUT_MS: '12000' });
    try {
      gateway.child.kill('SIGTERM');
      expect(await gateway.line((l) => String(l.msg).startsWith('shutting down'))).toMatchObject({ drainMs: 13000 });
      expect(await gateway.exited).toBe(0);
    } finally {
      await gateway.stop();
    }
  }, 90_000);
});

describe('the mock entry point (npm run mock)', () => {
  const redisMissing = !hasRedisServer() && !redisRequired();
  it.skipIf(redisMissing)('shares one rate-limit budget between two instances on one Redis', async () => {
    const file = documentFile(limitedDocument());
    const env = { REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: uniquePrefix('mock-budget') };
    const [a, b] = await Promise.all([startEntry('src/mock/cli.ts', [file], env), startEntry('src/mock/cli.ts', [file], env)]);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await fetch(`${(i % 2 === 0 ? a : b).url}/ping`)).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 90_000);

  it('drains on SIGTERM: a request already being read is answered with Connection: close, then it exits 0', async () => {
    const mock = await startEntry('src/mock/cli.ts', [documentFile(limitedDocument())], {});
    try {
      const { hostname, port } = new URL(mock.url);
      const socket = connect(Number(port), hostname);
      await new Promise((resolve) => socket.once('connect', resolve));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.write('GET /ping HTTP/1.1\r\nHost: x\r\n');
      await new Promise((resolve) => setTimeout(resolve, 200));
      mock.child.kill('SIGTERM');
      await mock.line((l) => String(l.msg).startsWith('shutting down'));
      socket.write('\r\n');
      await new Promise((resolve) => socket.once('end', resolve));
      expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(text).toMatch(/\r\nConnection: close\r\n/i);
      expect(await mock.exited).toBe(0);
      expect(mock.log.find((l) => l.msg === 'stopped')).toMatchObject({ answered: 1 });
    } finally {
      await mock.stop();
    }
  }, 90_000);

  it('says in one line that the port is in use, and exits 1', async () => {
    const first = await startEntry('src/mock/cli.ts', [documentFile(limitedDocument())], {});
    try {
      const { port } = new URL(first.url);
      await expect(startEntry('src/mock/cli.ts', [documentFile(limitedDocument())], { PORT: port })).rejects.toThrow(
        new RegExp(`port ${port} is in use on 127\\.0\\.0\\.1; stop the process using it or set PORT to a free port`),
      );
    } finally {
      await first.stop();
    }
  }, 90_000);
});
