/**
 * specgate's gateway over openapi.yaml with every operation sent upstream (x-specgate-upstream on
 * the root): CORS, JWT verification and request validation on, production defaults.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createTokenVerifier } from '../../src/auth/verifier.js';
import { loadConfig } from '../../src/config/index.js';
import { createGatewayApp } from '../../src/gateway/server.js';
import { createHttpServer } from '../../src/serve/http-server.js';
import { createLogger } from '../../src/logger.js';
import { BENCH_ORIGIN, BENCH_SECRET } from '../fixtures.js';
import { announce } from '../servers/announce.js';

const upstream = process.argv[2]!;
const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: BENCH_SECRET, CORS_ORIGINS: BENCH_ORIGIN, LOG_LEVEL: 'warn', ...process.env });
const log = createLogger(config.logLevel);
const document = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'));
document['x-specgate-upstream'] = upstream;
const verifier = await createTokenVerifier(config.jwt, log);
const { listener } = createGatewayApp({ config, document, log, verifier });
const server = createHttpServer(listener, config.cors).listen(0, '127.0.0.1', () => announce(server));
process.once('SIGINT', () => process.exit(0));
