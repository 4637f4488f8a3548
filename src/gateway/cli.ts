/**
 * `npm run gateway -- <openapi file|url> [--overlay FILE]… [--upstream <url>] [--port N] [--host H]`:
 * serves any OpenAPI 3.0/3.1 document (YAML or JSON; a URL such as the upstream's own /openapi.json
 * is retried for SPEC_FETCH_TIMEOUT_MS while it starts; each Overlay 1.0 file is applied in order)
 * in front of an upstream, with the API's configuration
 * (CORS_ORIGINS, JWT_SECRET / JWKS_URL, UPSTREAM_* …); --upstream overrides UPSTREAM_URL, --port
 * and --host override PORT and HOST. Everything else — WORKERS, METRICS_PORT, REDIS_URL, the HTTP
 * timeouts, the drain on SIGTERM/SIGINT — is serve()'s, as for `npm start`. SIGHUP (and with
 * --watch a change of a file, or of the fetched document every RELOAD_POLL_SECONDS) reloads the
 * document; a breaking change is refused unless --allow-breaking, RELOAD_ALLOW_BREAKING=true or a
 * new major info.version (docs/contract.md "Live reload").
 */
import { parseArgs } from 'node:util';
import { loadConfigOrExit, upstreamUrlProblem } from '../config/index.js';
import { loadDocument } from '../contract/load-document.js';
import type { OpenApiDocument } from '../contract/spec.js';
import { createLogger } from '../logger.js';
import { contractSource } from '../serve/contract-source.js';
import { serve } from '../serve/serve.js';
import { openIdempotencyStore } from './idempotency-open.js';
import { createGatewayApp, gatewayContract } from './server.js';

const USAGE = 'usage: npm run gateway -- <openapi.yaml|json|url> [--overlay overlay.yaml]… [--upstream <url>] [--port N] [--host H] [--watch] [--allow-breaking] [--mock-missing]';
const fail = (message: string): never => {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
};
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { upstream: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, overlay: { type: 'string', multiple: true, default: [] }, watch: { type: 'boolean' }, 'allow-breaking': { type: 'boolean' }, 'mock-missing': { type: 'boolean' } },
});
const file = positionals[0];
if (file === undefined || positionals.length > 1) fail('Give exactly one OpenAPI document.');

const loaded = loadConfigOrExit();
if (values.upstream !== undefined) {
  const problem = upstreamUrlProblem('--upstream', values.upstream);
  if (problem) fail(problem);
}
const config = { ...loaded, upstream: { ...loaded.upstream, url: values.upstream ?? loaded.upstream.url, mockMissing: values['mock-missing'] === true } };
const port = values.port === undefined ? config.port : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer from 0 to 65535 (got "${values.port}").`);
const host = values.host ?? config.host;
const log = createLogger(config.logLevel);
const load = () => loadDocument(file!, { overlays: values.overlay, retry: config.specFetch, log });
let document: OpenApiDocument;
try {
  document = await load();
} catch (error) {
  log.fatal(`gateway: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
  process.exit(1);
}

await serve({
  config,
  log,
  port,
  host,
  sendsUpstream: true,
  reload: {
    source: contractSource({ location: file!, overlays: values.overlay, load, pollSeconds: config.contract.pollSeconds }),
    document,
    allowBreaking: values['allow-breaking'] === true || config.contract.allowBreaking,
    watch: values.watch === true,
  },
  async build({ log: processLog, verifier, rateLimitStore, metrics }, served = document) {
    // Shared by every instance through Redis when REDIS_URL is set; Redis may be down now, it reconnects by itself.
    const idempotencyStore = await openIdempotencyStore(config, gatewayContract(served), {}, processLog);
    let app;
    try {
      app = createGatewayApp({ config, document: served, log: processLog, verifier, metrics, idempotencyStore, rateLimitStore, deferCompile: true });
    } catch (error) {
      await idempotencyStore?.close();
      throw error;
    }
    // The validators compile in slices, requests served in between (a reload builds while serving); the app's close() closes the store.
    await app.prepare?.().catch(async (error: unknown) => {
      await app.close();
      throw error;
    });
    return app;
  },
  describe: (bound, app) => ({
    message: `gateway for "${String(document.info?.title ?? file)}" listening on http://${host}:${bound}`,
    fields: { operations: app.contract.operations.length, upstreams: app.health().map((h) => h.origin) },
  }),
});
