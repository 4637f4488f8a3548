/**
 * Stage 2: CORS with the `cors` package, before everything else can fail, so every response —
 * errors included — carries the headers of an allowed Origin. Methods, request headers and
 * exposed response headers are derived from the spec; origins come from configuration.
 */
import cors from 'cors';
import type { RequestHandler } from 'express';
import type { Config } from '../config.js';
import { HTTP_METHODS, type Contract } from '../contract/spec.js';

/** The policy parts that come from the contract rather than configuration. */
export interface ContractCors {
  readonly methods: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly exposedHeaders: readonly string[];
}

function unique(names: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const name of names) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}

/** Derives methods, allowed request headers and exposed response headers from the spec. */
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
  const methods = unique(contract.operations.map((op) => op.method.toUpperCase()));
  return {
    methods: [...methods, 'OPTIONS'],
    allowedHeaders: unique(['Authorization', 'Content-Type', 'X-Request-ID', ...headerParams]),
    exposedHeaders: unique(responseHeaders.filter((h) => h.toLowerCase() !== 'content-type')),
  };
}

/** Whether the configuration allows this Origin header value. */
export function originAllowed(policy: Config['cors'], origin: string): boolean {
  return policy.origins.includes(origin) || (policy.originRegex?.test(origin) ?? false);
}

/** Creates the CORS stage. */
export function corsPolicy(policy: Config['cors'], contract: Contract): RequestHandler {
  const derived = contractCors(contract);
  const handle = cors({
    // Only allowed origins reach `cors` (see below), so the origin is echoed, never `*`.
    origin: true,
    credentials: true,
    methods: [...derived.methods],
    allowedHeaders: [...derived.allowedHeaders],
    exposedHeaders: [...derived.exposedHeaders],
    maxAge: policy.maxAge,
    optionsSuccessStatus: 204,
  });
  return function corsStage(req, res, next) {
    // Every answer depends on the Origin, so caches must key on it even when none was sent.
    res.vary('Origin');
    const origin = req.get('origin');
    if (origin === undefined || !originAllowed(policy, origin)) return next();
    handle(req, res, next);
  };
}
