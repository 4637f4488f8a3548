/**
 * `npm run mock -- <openapi file|url> [--overlay FILE]… [--port N] [--host H] [--strict] [--offline]`:
 * serves any OpenAPI 3.x or Swagger 2.0 document (YAML or JSON, a file or a URL retried for
 * SPEC_FETCH_TIMEOUT_MS, each Overlay 1.0 file applied in order) from its examples and schemas.
 * Configuration (CORS_ORIGINS, JWT_SECRET …) is the API's; --port and --host override PORT and
 * HOST; --strict refuses to start on a schema or scheme that would be skipped with a warning;
 * --offline skips openIdConnect discovery. WORKERS, METRICS_PORT, REDIS_URL (shared rate-limit
 * budgets), the HTTP timeouts and the drain on SIGTERM are serve()'s, as for `npm start`. SIGHUP
 * (and with --watch a change of a file, or of the fetched document every RELOAD_POLL_SECONDS)
 * reloads the document; a breaking change is refused unless --allow-breaking,
 * RELOAD_ALLOW_BREAKING=true or a new major info.version (docs/contract.md "Live reload").
 */
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/index.js';
import { discoverOpenIdVerifiers } from '../auth/openid.js';
import { loadDocument } from '../contract/load-document.js';
import type { OpenApiDocument } from '../contract/spec.js';
import { createLogger } from '../logger.js';
import { contractSource } from '../serve/contract-source.js';
import { serve } from '../serve/serve.js';
import { createMockApp } from './server.js';

const USAGE = 'usage: npm run mock -- <openapi.yaml|json|url> [--overlay overlay.yaml]… [--port N] [--host H] [--strict] [--offline] [--watch] [--allow-breaking]';
const { values, positionals } = parseArgs({ allowPositionals: true, options: { port: { type: 'string' }, host: { type: 'string' }, strict: { type: 'boolean' }, offline: { type: 'boolean' }, overlay: { type: 'string', multiple: true, default: [] }, watch: { type: 'boolean' }, 'allow-breaking': { type: 'boolean' } } });
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
const load = () => loadDocument(file, { overlays: values.overlay, retry: config.specFetch, log, openApi3: true });
let document: OpenApiDocument;
try {
  document = await load();
} catch (error) {
  process.stderr.write(`mock: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
  process.exit(1);
}

await serve({
  config,
  log,
  port,
  host,
  sendsUpstream: false,
  reload: {
    source: contractSource({ location: file, overlays: values.overlay, load, pollSeconds: config.contract.pollSeconds }),
    document,
    allowBreaking: values['allow-breaking'] === true || config.contract.allowBreaking,
    watch: values.watch === true,
  },
  async build({ log: processLog, verifier, rateLimitStore, metrics }, served = document) {
    const schemeVerifiers = values.offline ? {} : await discoverOpenIdVerifiers(served, config, processLog);
    try {
      // The validators compile in slices, requests served in between (a reload builds while serving).
      const app = createMockApp({ config, document: served, log: processLog, verifier, strict: values.strict === true, schemeVerifiers, rateLimitStore, metrics, deferCompile: true });
      await app.prepare?.();
      return app;
    } catch (error) {
      throw new Error(`mock: ${file}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
    }
  },
  describe: (bound, app) => ({
    message: `mock of "${String(document.info?.title ?? file)}" listening on http://${host}:${bound}`,
    fields: { operations: app.contract.operations.length, startMs: Date.now() - started },
  }),
});
