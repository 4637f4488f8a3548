/**
 * openIdConnect schemes: the scheme's `openIdConnectUrl` is the issuer's discovery document
 * (`…/.well-known/openid-configuration`; an issuer URL without that suffix gets it appended);
 * its `jwks_uri` becomes a JWKS key source beside the configured ones, so tokens the issuer
 * signs verify. A discovery that fails is a start-up warning: that scheme then verifies with the
 * configured keys only.
 */
import type { Config } from '../config/index.js';
import type { OpenApiDocument } from '../contract/spec.js';
import type { Logger } from '../logger.js';
import { JWKS_ALGORITHMS } from './algorithms.js';
import { createTokenVerifier, type TokenVerifier } from './verifier.js';

const DISCOVERY_TIMEOUT_MS = 5_000;

/** The discovery URL for a scheme's openIdConnectUrl. */
export function discoveryUrl(openIdConnectUrl: string): string {
  if (openIdConnectUrl.includes('/.well-known/')) return openIdConnectUrl;
  return `${openIdConnectUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

async function jwksUriOf(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS), headers: { accept: 'application/json' } });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  const body = (await response.json().catch(() => undefined)) as { jwks_uri?: unknown } | undefined;
  if (typeof body?.jwks_uri !== 'string') throw new Error('the discovery document has no jwks_uri');
  return body.jwks_uri;
}

/** One verifier per openIdConnect scheme whose keys could be discovered, by scheme name. */
export async function discoverOpenIdVerifiers(document: OpenApiDocument, config: Config, log: Logger): Promise<Record<string, TokenVerifier>> {
  const verifiers: Record<string, TokenVerifier> = {};
  for (const [name, scheme] of Object.entries<Record<string, any>>(document.components?.securitySchemes ?? {})) {
    if (scheme?.type !== 'openIdConnect' || typeof scheme.openIdConnectUrl !== 'string') continue;
    const url = discoveryUrl(scheme.openIdConnectUrl);
    try {
      const jwksUrl = await jwksUriOf(url);
      const jwksAlgorithms = config.jwt.jwksAlgorithms.length > 0 ? config.jwt.jwksAlgorithms : [...JWKS_ALGORITHMS];
      verifiers[name] = await createTokenVerifier({ ...config.jwt, jwksUrl, jwksAlgorithms }, log);
      log.info({ scheme: name, jwks_uri: jwksUrl }, `openIdConnect scheme ${name}: keys from ${jwksUrl}`);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : 'unknown error';
      log.warn({ scheme: name, discovery_url: url, reason }, `openIdConnect scheme ${name}: discovery failed (${reason}); it verifies with the configured keys only`);
    }
  }
  return verifiers;
}
