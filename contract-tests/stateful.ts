/**
 * The checks that need more than one request or a request the spec does not describe:
 * ignored_auth, unsupported_method with allow_header_conformance, missing_required_header, and
 * the chains that follow the spec's OpenAPI links (ensure_resource_availability, use_after_free).
 */
import fc from 'fast-check';
import { positiveCases, type RequestCase } from './cases.js';
import { CHECK_NAMES, type CheckName } from './checks.js';
import { requestFor, send, type Exchange } from './http.js';
import { phaseSeed, type PhaseContext } from './property.js';
import type { ContractSpec, Operation } from './spec.js';

const PROBE_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'];
const ONLY_GENERIC = new Set<CheckName>(CHECK_NAMES.filter((n) => !['not_a_server_error', 'cors_on_every_response', 'uniform_error_body'].includes(n)));
const ok = (x: Exchange) => x.status >= 200 && x.status < 300;

/**
 * Conditional request headers (RFC 9110 §13.1) are left out of chains: a random entity tag would
 * turn the chain's reads into 304s and its writes into 412s and hide what the chain checks. So is
 * Idempotency-Key: a generated key used twice replays a resource an earlier chain has deleted.
 */
const CONDITIONAL = new Set(['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'if-range', 'idempotency-key']);

function sampleCase(op: Operation, ctx: PhaseContext, label: string, path: Record<string, string> = {}): RequestCase {
  const [c] = fc.sample(positiveCases(op), { numRuns: 1, seed: phaseSeed(ctx.seed, `${op.operationId}:${label}`) });
  const headers = Object.fromEntries(Object.entries(c!.headers).filter(([name]) => !CONDITIONAL.has(name.toLowerCase())));
  return { ...c!, headers, path: { ...c!.path, ...path } };
}

/** Secured operations must refuse a request without credentials and one with a malformed token. */
export async function ignoredAuth(spec: ContractSpec, ctx: PhaseContext): Promise<void> {
  for (const op of spec.operations.filter((o) => o.secured)) {
    const c = sampleCase(op, ctx, 'auth');
    for (const [auth, what] of [[false, 'without credentials'], ['not.a.token', 'with a malformed token']] as const) {
      const x = await send(requestFor(ctx.target, c, auth));
      const extra = x.status === 401 ? [] : [ctx.report.failure('ignored_auth', c, x, `request ${what} got ${x.status}, not 401`)];
      ctx.report.observe(c, x, extra);
    }
  }
}

/** Undeclared methods on declared paths must be 405 with an Allow header listing the declared ones. */
export async function unsupportedMethods(spec: ContractSpec, ctx: PhaseContext): Promise<void> {
  for (const [path, declared] of spec.methodsByPath) {
    const sibling = spec.operations.find((o) => o.path === path)!;
    const c = sampleCase(sibling, ctx, 'method');
    for (const method of PROBE_METHODS.filter((m) => !declared.includes(m))) {
      const probe: RequestCase = { ...c, operation: { ...sibling, operationId: `${method} ${path}`, method, requestBody: undefined, responses: {} } };
      const { body: _ignored, ...withoutBody } = probe;
      const x = await send(requestFor(ctx.target, withoutBody, true, method));
      const extra = [];
      if (x.status !== 405) extra.push(ctx.report.failure('unsupported_method', probe, x, `undeclared method ${method} got ${x.status}, not 405`));
      else {
        const allow = (x.headers.get('allow') ?? '').split(',').map((m) => m.trim().toUpperCase()).filter(Boolean);
        const missing = declared.filter((m) => !allow.includes(m));
        const unexpected = allow.filter((m) => !declared.includes(m) && m !== 'OPTIONS' && m !== 'HEAD');
        if (allow.length === 0) extra.push(ctx.report.failure('allow_header_conformance', probe, x, '405 without an Allow header'));
        else if (missing.length > 0 || unexpected.length > 0) {
          extra.push(ctx.report.failure('allow_header_conformance', probe, x, `Allow "${allow.join(', ')}" differs from the declared ${declared.join(', ')}`));
        }
      }
      ctx.report.record([...ctx.report.evaluate(probe, x, ONLY_GENERIC), ...extra]);
    }
  }
}

/** Dropping a required header parameter must be a 4xx. */
export async function missingRequiredHeaders(spec: ContractSpec, ctx: PhaseContext): Promise<void> {
  for (const op of spec.operations) {
    for (const p of op.parameters.filter((param) => param.in === 'header' && param.required)) {
      const full = sampleCase(op, ctx, `header:${p.name}`);
      const c = { ...full, headers: Object.fromEntries(Object.entries(full.headers).filter(([k]) => k !== p.name)), negative: `header ${p.name} missing` };
      const x = await send(requestFor(ctx.target, c));
      const extra = x.status >= 400 && x.status < 500 ? [] : [ctx.report.failure('missing_required_header', c, x, `without required header ${p.name} got ${x.status}`)];
      ctx.report.observe(c, x, extra);
    }
  }
}

/** Resolves a link parameter expression ($response.body#/ptr, $request.path.name, $response.header.Name). */
function resolveExpression(expression: string, c: RequestCase, x: Exchange): string | undefined {
  if (expression.startsWith('$response.body#')) {
    const value = expression.slice('$response.body#'.length).split('/').slice(1).reduce<any>((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], x.json);
    return value === undefined || value === null ? undefined : String(value);
  }
  if (expression.startsWith('$request.path.')) return c.path[expression.slice('$request.path.'.length)];
  if (expression.startsWith('$response.header.')) return x.headers.get(expression.slice('$response.header.'.length)) ?? undefined;
  return expression.startsWith('$') ? undefined : expression;
}

/** Follows the links of every 2xx response: reads back what was created, deletes it, reads again. */
export async function linkChains(spec: ContractSpec, ctx: PhaseContext, chains: number): Promise<void> {
  const byId = new Map(spec.operations.map((o) => [o.operationId, o]));
  for (const op of spec.operations) {
    const links = Object.entries(op.responses).filter(([s]) => s.startsWith('2')).flatMap(([, r]) => Object.values(r.links));
    if (links.length === 0) continue;
    for (let i = 0; i < chains && Date.now() < ctx.deadline; i += 1) {
      const origin = sampleCase(op, ctx, `chain:${i}`);
      const created = await send(requestFor(ctx.target, origin));
      ctx.report.observe(origin, created);
      if (!ok(created)) continue;
      const steps = links.flatMap((link) => {
        const target = byId.get(link.operationId);
        const path = Object.fromEntries(Object.entries(link.parameters).map(([k, e]) => [k, resolveExpression(String(e), origin, created)]));
        if (!target || Object.values(path).some((v) => v === undefined)) return [];
        return [sampleCase(target, ctx, `chain:${i}:${link.operationId}`, path as Record<string, string>)];
      });
      const reads = steps.filter((s) => s.operation.method === 'GET');
      const deletes = steps.filter((s) => s.operation.method === 'DELETE');
      for (const s of [...reads, ...steps.filter((t) => t.operation.method !== 'GET' && t.operation.method !== 'DELETE')]) {
        const x = await send(requestFor(ctx.target, s));
        const extra = s.operation.method === 'GET' && !ok(x)
          ? [ctx.report.failure('ensure_resource_availability', s, x, `${op.operationId} returned ${created.status} but ${s.operation.operationId} then got ${x.status}`)]
          : [];
        ctx.report.observe(s, x, extra);
      }
      for (const d of deletes) {
        const gone = await send(requestFor(ctx.target, d));
        ctx.report.observe(d, gone);
        if (!ok(gone)) continue;
        for (const r of reads) {
          const x = await send(requestFor(ctx.target, r));
          const extra = ok(x) ? [ctx.report.failure('use_after_free', r, x, `${d.operation.operationId} returned ${gone.status} but ${r.operation.operationId} still got ${x.status}`)] : [];
          ctx.report.observe(r, x, extra);
        }
      }
    }
  }
}
