/**
 * The metrics listener: GET /metrics in Prometheus text format on METRICS_PORT, a port of its own,
 * so /metrics is never part of the API (openapi.yaml describes the API only) and is reachable only
 * where the operator exposes that port. Anything else there is a plain 404 or 405.
 */
import { createServer, type Server } from 'node:http';
import type { MetricsConfig } from '../config/index.js';
import { describeError } from '../log-safe.js';
import type { Logger } from '../logger.js';

/** The Prometheus text format's media type (prom-client's `Registry.PROMETHEUS_CONTENT_TYPE`). */
const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Starts the listener; `scrape` renders the metrics (this process's registry, or every worker's). Logs what to do and rejects when it cannot listen. */
export function serveMetrics(config: MetricsConfig, scrape: () => Promise<string>, log: Logger): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    res.setHeader('Cache-Control', 'no-store');
    if (path !== '/metrics') return void res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found: metrics are at /metrics.\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed.\n');
    scrape().then(
      (text) => void res.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE }).end(req.method === 'HEAD' ? undefined : text),
      (error: unknown) => {
        log.warn({ cause: describeError(error) }, 'metrics scrape failed');
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Metrics are unavailable right now.\n');
      },
    );
  });
  // Prometheus scrapes every few seconds on a kept-alive connection; nothing else needs long timeouts.
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    const failed = (error: unknown) => {
      log.fatal({ cause: describeError(error) }, `cannot listen for metrics on ${config.host}:${config.port}; set METRICS_PORT to a free port`);
      reject(error);
    };
    server.once('error', failed);
    server.listen(config.port, config.host, () => {
      server.off('error', failed);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      log.info({ metrics_port: port }, `metrics on http://${config.host}:${port}/metrics`);
      resolve(server);
    });
  });
}

/** Stops the listener and its kept-alive scrape connections. */
export function closeMetrics(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
