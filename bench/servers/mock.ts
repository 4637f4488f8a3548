/**
 * The mock server (src/mock) over any OpenAPI document file (argv[2], YAML or JSON), with the
 * bench configuration; prints `ready <port> <ms from reading the file to listening>`.
 */
import { createHttpServer } from '../../src/serve/http-server.js';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createTokenVerifier } from '../../src/auth/verifier.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logger.js';
import { createMockApp } from '../../src/mock/server.js';
import { BENCH_ORIGIN, BENCH_SECRET } from '../fixtures.js';
import { announce } from './announce.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: mock.ts <openapi file>');
const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: BENCH_SECRET, CORS_ORIGINS: BENCH_ORIGIN, LOG_LEVEL: 'silent' });
const log = createLogger('silent');
const verifier = await createTokenVerifier(config.jwt, log);
// Start-up counts from reading the document, as `npm run mock -- <file>` does, to listening.
const started = performance.now();
const source = readFileSync(file, 'utf8');
const document = source.trimStart().startsWith('{') ? JSON.parse(source) : parse(source);
const { listener: app } = createMockApp({ config, document, log, verifier });
const server = createHttpServer(app, config.cors).listen(0, '127.0.0.1', () => announce(server, performance.now() - started));
