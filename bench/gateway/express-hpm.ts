/** What a Node user would write: Express 5 + cors + http-proxy-middleware, defaults otherwise. */
import cors from 'cors';
import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { BENCH_ORIGIN } from '../fixtures.js';
import { announce } from '../servers/announce.js';

const app = express();
app.use(cors({ origin: BENCH_ORIGIN, credentials: true }));
app.use(createProxyMiddleware({ target: process.argv[2]!, changeOrigin: true }));
const server = app.listen(0, '127.0.0.1', () => announce(server));
