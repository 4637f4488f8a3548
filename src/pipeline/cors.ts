/**
 * The CORS stage: CORS, before anything else can fail, so every response — errors included — carries
 * the headers of an allowed Origin. The request headers to allow, the response headers to expose
 * and the methods of each path come from the spec; origins and Max-Age come from configuration.
 * Preflights are answered here for every path, declared or not, so that the browser goes on to
 * show the real 404/405 instead of a CORS error. See docs/cors.md.
 */
import type { Config } from '../config/index.js';
import { DEPRECATION_HEADERS, deprecationsOf } from '../contract/deprecations.js';
import { HTTP_METHODS, type Contract } from '../contract/spec.js';
import { ADDED_RESPONSE_HEADERS } from './added-headers.js';
import type { RouteIndex } from './route.js';
import type { RequestStage } from './stage.js';
import { applyHeaders, stateOf } from './state.js';

/** The policy parts that come from the contract rather than configuration. */
export interface ContractCors {
  readonly allowedHeaders: readonly string[];
  readonly exposedHeaders: readonly string[];
}

/** Headers a browser may send cross-origin without the spec declaring them as parameters. */
const BASE_REQUEST_HEADERS = ['Authorization', 'Content-Type', 'X-Request-ID'];
/** A method name a browser sends verbatim and Node accepts (browsers upper-case only the six standard ones). */
const METHOD_TOKEN = /^[A-Z]{1,20}$/;

function unique(names: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const name of names) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}

/** Derives allowed request headers, exposed response headers and per-path methods from the spec. */
export function contractCors(contract: Contract): ContractCors {
  const doc = contract.document;
  const resolve = (item: any) => (item?.$ref ? item.$ref.split('/').slice(1).reduce((o: any, k: string) => o?.[k], doc) : item);
  const headerParams: string[] = [];
  const responseHeaders: string[] = ['X-Request-ID'];
  for (const pathItem of Object.values<any>(doc.paths ?? {})) {
    const params = [...(pathItem.parameters ?? [])];
    for (const method of HTTP_METHODS) {
      const op = pathItem[method];
      if (!op) continue;
      params.push(...(op.parameters ?? []));
      for (const response of Object.values<any>(op.responses ?? {})) responseHeaders.push(...Object.keys(resolve(response)?.headers ?? {}));
    }
    for (const param of params.map(resolve)) if (param?.in === 'header') headerParams.push(param.name);
  }
  return {
    allowedHeaders: unique([...BASE_REQUEST_HEADERS, ...headerParams]),
    // The headers specgate adds are exposed even where no operation declares them (Allow on a 405, RateLimit on a mock's answer).
    // Deprecation, Sunset and Link are exposed where the contract deprecates something (src/pipeline/deprecation.ts).
    exposedHeaders: unique([...responseHeaders, ...ADDED_RESPONSE_HEADERS, ...(deprecationsOf(contract).size > 0 ? DEPRECATION_HEADERS : [])].filter((h) => h.toLowerCase() !== 'content-type')),
  };
}

/**
 * The preflight's Access-Control-Allow-Methods: the path's declared methods and OPTIONS, plus the
 * requested method when the spec does not declare it, so the browser sends it and sees the 404/405.
 */
export function preflightMethods(declared: readonly string[] | undefined, requested: string): string {
  const methods = [...(declared ?? []), 'OPTIONS'];
  if (METHOD_TOKEN.test(requested) && !methods.includes(requested)) methods.push(requested);
  return methods.join(', ');
}

/** Whether an Origin is allowed: one of CORS_ORIGINS exactly, or a match of CORS_ORIGIN_REGEX. */
export function originCheck(policy: Config['cors']): (origin: string | undefined) => origin is string {
  const origins = new Set(policy.origins);
  const regex = policy.originRegex;
  return (origin): origin is string => origin !== undefined && (origins.has(origin) || (regex?.test(origin) ?? false));
}

/** Creates the CORS stage; preflight methods come from the same route index the route stage uses; `exposeAlso` headers are exposed too. */
export function corsPolicy(policy: Config['cors'], contract: Contract, routes: RouteIndex, exposeAlso: readonly string[] = []): RequestStage {
  const derived = contractCors(contract);
  const isAllowed = originCheck(policy);
  const allowHeaders = derived.allowedHeaders.join(', ');
  const exposeHeaders = [...derived.exposedHeaders, ...exposeAlso].join(', ');
  const maxAge = String(policy.maxAge);
  return function corsStage(req, res, next) {
    const origin = req.headers.origin;
    const requested = req.headers['access-control-request-method'];
    const preflight = req.method === 'OPTIONS' && origin !== undefined && typeof requested === 'string';
    const allowed = isAllowed(origin);
    // Every answer depends on the Origin, so caches must key on it even when none was sent.
    // CORS is the first stage to set Vary, so it is set outright (res.vary would parse it first).
    // The origin is echoed, never `*`, so credentials are safe to allow.
    if (!preflight) {
      const headers = stateOf(res).headers;
      if (allowed) headers.push('Vary', 'Origin', 'Access-Control-Allow-Origin', origin, 'Access-Control-Allow-Credentials', 'true', 'Access-Control-Expose-Headers', exposeHeaders);
      else headers.push('Vary', 'Origin');
      return next();
    }
    applyHeaders(res);
    res.setHeader('Vary', 'Origin, Access-Control-Request-Method');
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', preflightMethods(routes.methodsFor(stateOf(res).path), requested));
      res.setHeader('Access-Control-Allow-Headers', allowHeaders);
      res.setHeader('Access-Control-Max-Age', maxAge);
    }
    res.statusCode = 204;
    res.setHeader('Content-Length', '0');
    res.end();
  };
}
