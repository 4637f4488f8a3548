/**
 * `npm run mock -- <openapi file> [--port N] [--host H] [--strict] [--offline]`: serves any
 * OpenAPI 3.x or Swagger 2.0 document (YAML or JSON) from its examples and schemas.
 * Configuration (CORS_ORIGINS, JWT_SECRET …) is the API's; --port and --host override PORT and
 * HOST; --strict refuses to start on a schema or scheme that would be skipped with a warning;
 * --offline skips openIdConnect discovery.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/index.js';
import { createTokenVerifier, type TokenVerifier } from '../auth/verifier.js';
import { discoverOpenIdVerifiers } from '../auth/openid.js';
import { openApi3 } from '../contract/openapi-version.js';
import { parseDocumentText, type OpenApiDocument } from '../contract/spec.js';
import { createLogger } from '../logger.js';
import { createHttpServer } from '../http-server.js';
import { createMockApp } from './server.js';

const USAGE = 'usage: npm run mock -- <openapi.yaml|json> [--port N] [--host H] [--strict] [--offline]';
const { values, positionals } = parseArgs({ allowPositionals: true, options: { port: { type: 'string' }, host: { type: 'string' }, strict: { type: 'boolean' }, offline: { type: 'boolean' } } });
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
const started = Date.now();
let document: OpenApiDocument;
let app: ReturnType<typeof createMockApp>['app'];
let contract: ReturnType<typeof createMockApp>['contract'];
let verifier: TokenVerifier;
try {
  const source = readFileSync(file, 'utf8');
  document = await openApi3(parseDocumentText(source) as OpenApiDocument);
  verifier = await createTokenVerifier(config.jwt, log);
  const schemeVerifiers = values.offline ? {} : await discoverOpenIdVerifiers(document, config, log);
  ({ app, contract } = createMockApp({ config, document, log, verifier, strict: values.strict === true, schemeVerifiers }));
} catch (error) {
  process.stderr.write(`mock: ${file}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
  process.exit(1);
}
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
