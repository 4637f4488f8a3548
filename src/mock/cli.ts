/**
 * `npm run mock -- <openapi file> [--port N]`: serves any OpenAPI 3.0/3.1 document (YAML or JSON)
 * from its examples and schemas. Configuration (CORS_ORIGINS, JWT_SECRET …) is the API's;
 * --port and --host override PORT and HOST.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { loadConfigOrExit } from '../config.js';
import { createTokenVerifier } from '../auth/verifier.js';
import { createLogger } from '../logger.js';
import { createHttpServer } from '../http-server.js';
import { createMockApp } from './server.js';

const USAGE = 'usage: npm run mock -- <openapi.yaml|json> [--port N] [--host H]';
const { values, positionals } = parseArgs({ allowPositionals: true, options: { port: { type: 'string' }, host: { type: 'string' } } });
const file = positionals[0];
if (file === undefined || positionals.length > 1) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

const config = loadConfigOrExit();
const port = values.port === undefined ? config.port : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be an integer from 0 to 65535 (got "${values.port}").\n${USAGE}\n`);
  process.exit(2);
}
const host = values.host ?? config.host;
const log = createLogger(config.logLevel);
const source = readFileSync(file, 'utf8');
const document = source.trimStart().startsWith('{') ? JSON.parse(source) : parse(source);
const verifier = await createTokenVerifier(config.jwt, log);
const started = Date.now();
const { app, contract } = createMockApp({ config, document, log, verifier });
const server = createHttpServer(app, config.cors, config.http).listen(port, host, () => {
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  log.info(
    { operations: contract.operations.length, startMs: Date.now() - started },
    `mock of "${String(document.info?.title ?? file)}" listening on http://${host}:${bound}`,
  );
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
