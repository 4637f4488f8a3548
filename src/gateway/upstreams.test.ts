import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../auth/verifier.js';
import { loadConfig } from '../config/index.js';
import { contractFrom } from '../contract/spec.js';
import { createLogger } from '../logger.js';
import { gatewaySpec, localHandlers } from '../testing/gateway-spec.js';
import { TEST_JWT_SECRET } from '../testing/tokens.js';
import { createMockApp } from '../mock/server.js';
import { createGatewayApp } from './server.js';
import { upstreamRouting } from './upstreams.js';

const log = createLogger('silent');

describe('which operations go upstream', () => {
  it('takes the nearest x-specgate-upstream: operation, then path item, then the document', () => {
    const doc = gatewaySpec('http://path-item.internal');
    doc['x-specgate-upstream'] = 'http://root.internal';
    doc.paths['/items']['post']['x-specgate-upstream'] = 'http://operation.internal/v2';
    const routing = upstreamRouting(contractFrom(doc), {}, undefined);
    expect(Object.fromEntries(routing.byOperation)).toEqual({
      createItem: 'http://operation.internal/v2',
      getItem: 'http://path-item.internal',
      getCase: 'http://root.internal',
      getLocated: 'http://root.internal',
      getLocal: 'http://root.internal',
      openSocket: 'http://path-item.internal',
    });
  });

  it('sends only operations without a handler to the document root upstream: the gateway still answers its own /health', async () => {
    const doc = gatewaySpec('http://path-item.internal');
    doc['x-specgate-upstream'] = 'http://root.internal';
    const routing = upstreamRouting(contractFrom(doc), { getLocal: localHandlers.getLocal }, 'http://fallback.internal');
    expect(routing.byOperation.get('getCase')).toBe('http://root.internal');
    expect(routing.byOperation.has('getLocal')).toBe(false);
    expect(routing.explicit.has('getCase')).toBe(false);
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET });
    const verifier = await createTokenVerifier(config.jwt, log);
    const built = createGatewayApp({ config, document: doc, log, verifier });
    expect(built.contract.operations.some((op) => op.path === '/health')).toBe(true);
    await built.close();
  });

  it('sends an operation without a handler or extension to UPSTREAM_URL, and keeps handled ones local', () => {
    const routing = upstreamRouting(contractFrom(gatewaySpec('http://a.internal')), localHandlers, 'http://fallback.internal');
    expect(routing.byOperation.get('getCase')).toBe('http://fallback.internal');
    expect(routing.byOperation.has('getLocal')).toBe(false);
  });

  it('refuses to start naming an operation with neither a handler nor an upstream, one with both, or a bad extension URL', async () => {
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET });
    const verifier = await createTokenVerifier(config.jwt, log);
    expect(() => createGatewayApp({ config, document: gatewaySpec('http://a.internal'), log, verifier })).toThrow(
      'Handlers do not match openapi.yaml: no handler for operationId(s): getCase, getLocated, getLocal (write one, mark the operation x-specgate-upstream, or set UPSTREAM_URL)',
    );
    expect(() => createGatewayApp({ config, document: gatewaySpec('http://a.internal'), log, verifier, handlers: { ...localHandlers, getCase: localHandlers.getLocal, getItem: localHandlers.getLocal } })).toThrow(
      'operationId(s) both handled and sent upstream by x-specgate-upstream: getItem',
    );
    expect(() => createGatewayApp({ config, document: gatewaySpec('not a url'), log, verifier })).toThrow('x-specgate-upstream of createItem is not a URL (got "not a url").');
  });

  it('is ignored by the mock server, which answers every operation itself', async () => {
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET });
    const verifier = await createTokenVerifier(config.jwt, log);
    // The document's 6 operations and the mock's own GET /openapi.json (src/mock/mock-document.ts).
    expect(createMockApp({ config, document: gatewaySpec('http://a.internal'), log, verifier }).contract.operations.length).toBe(7);
  });
});
