/**
 * Express 5 + cors + http-proxy-middleware configured as its README recommends for production: the
 * upstream reached through a keep-alive http.Agent (`agent` option; Node's default agent opens a
 * connection per request), the pool bounded, no request logging. It adds CORS headers and checks
 * nothing else: no JWT, no request validation, no answer check.
 */
import { Agent } from 'node:http';
import cors from 'cors';
import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { BENCH_ORIGIN } from '../fixtures.js';
import { announce } from '../servers/announce.js';

const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000, maxSockets: 128, maxFreeSockets: 128, scheduling: 'lifo' });
const app = express();
app.disable('x-powered-by');
app.use(cors({ origin: BENCH_ORIGIN, credentials: true }));
app.use(createProxyMiddleware({ target: process.argv[2]!, changeOrigin: true, agent }));
const server = app.listen(0, '127.0.0.1', () => announce(server));
