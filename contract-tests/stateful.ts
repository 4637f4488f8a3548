/**
 * The checks that need more than one request or a request the spec does not describe:
 * ignored_auth, unsupported_method with allow_header_conformance, missing_required_header, and
 * the chains that follow the spec's OpenAPI links (ensure_resource_availability, use_after_free).
 */
import fc from 'fast-check';
import { positiveCases, type RequestCase } from './cases.js';
import { CHECK_NAMES, type CheckName } from './checks.js';
import { drawDeadline } from './draw.js';
import { alternativeFor, callable, requestFor, type Exchange } from './http.js';
import { phaseSeed, sendWithin, type PhaseContext } from './property.js';
import type { ContractSpec, Operation } from './spec.js';

const PROBE_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'];
const ONLY_GENERIC = new Set<CheckName>(CHECK_NAMES.filter((n) => !['not_a_server_error', 'cors_on_every_response', 'uniform_error_body'].includes(n)));
const ok = (x: Exchange) => x.status >= 200 && x.status < 300;

/**
 * Conditional request headers (RFC 9110 §13.1) are left out of chains: a random entity tag would
 * turn the chain's reads into 304s and its writes into 412s and hide what the chain checks. So is
 * Idempotency-Key: a generated key used twice replays a resource an earlier chain has deleted.
 */
const LEFT_OUT_OF_CHAINS = new Set(['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'if-range', 'idempotency-key']);

const label = (op: Operation) => `${op.operationId} (${op.method} ${op.path})`;

/** One positive request for an operation, or undefined when none can be drawn (the property phase reports why). */
function sampleCase(op: Operation, ctx: PhaseContext, name: string, path: Record<string, string> = {}): RequestCase | undefined {
  if (op.unusable) return undefined;
  drawDeadline(ctx.deadline);
  try {
    const [c] = fc.sample(positiveCases(op, ctx.deadline), { numRuns: 1, seed: phaseSeed(ctx.seed, `${op.operationId}:${name}`) });
    const headers = Object.fromEntries(Object.entries(c!.headers).filter(([header]) => !LEFT_OUT_OF_CHAINS.has(header.toLowerCase())));
    return { ...c!, headers, path: { ...c!.path, ...path } };
  } catch {
    return undefined;
  } finally {
    drawDeadline(Number.POSITIVE_INFINITY);
  }
}

/** Runs one operation's part of a stage; an error is reported for that operation and the stage goes on. */
async function guarded(ctx: PhaseContext, op: Operation, stage: string, body: () => Promise<void>): Promise<void> {
  if (Date.now() >= ctx.deadline) return;
  try {
    await body();
  } catch (error) {
    ctx.report.problem(label(op), stage, error);
  }
}

/** Secured operations must refuse a request without credentials and one with a malformed token. */
export async function ignoredAuth(spec: ContractSpec, ctx: PhaseContext): Promise<void> {
  for (const op of spec.operations.filter((o) => o.secured)) {
    await guarded(ctx, op, 'ignored_auth', async () => {
      const positive = sampleCase(op, ctx, 'auth');
      if (!positive) return;
      // Only a bearer token can be malformed in a way a server must notice: an apiKey or basic credential may be checked
      // for presence only. And a malformed token is sent only where the run has a real one for the operation's scheme.
      const bearer = alternativeFor(op, ctx.target)?.every((use) => use.kind === 'bearer') === true;
      const probes = [[false, 'without credentials'], ...(bearer ? [['not.a.token', 'with a malformed token']] : [])] as const;
      for (const [auth, what] of probes) {
        if (Date.now() >= ctx.deadline) return;
        const c: RequestCase = { ...positive, negative: `request ${what}` };
        const x = await send(ctx, requestFor(ctx.target, c, auth));
        const extra = x.status === 401 || x.status === 0 ? [] : [ctx.report.failure('ignored_auth', c, x, `request ${what} got ${x.status}, not 401`)];
        ctx.report.observe(c, x, extra);
      }
    });
  }
}

/** Undeclared methods on declared paths must be 405 with an Allow header listing the declared ones. */
export async function unsupportedMethods(spec: ContractSpec, ctx: PhaseContext): Promise<void> {
  for (const [path, declared] of spec.methodsByPath) {
    const siblings = spec.operations.filter((o) => o.path === path);
    // A sibling the run has credentials for; without one the probe goes unauthenticated and a 401 is no verdict.
    const sibling = siblings.find((o) => callable(o, ctx.target)) ?? siblings[0]!;
    const unauthenticated = !callable(sibling, ctx.target);
    await guarded(ctx, sibling, 'unsupported_method', async () => {
    const c = sampleCase(sibling, ctx, 'method');
    if (!c) return;
    for (const method of PROBE_METHODS.filter((m) => !declared.includes(m))) {
      if (Date.now() >= ctx.deadline) return;
      const probe: RequestCase = { ...c, operation: { ...sibling, operationId: `${method} ${path}`, method, requestBody: undefined, responses: {} }, negative: `undeclared method ${method}` };
      const { body: _ignored, ...withoutBody } = probe;
      const x = await send(ctx, requestFor(ctx.target, withoutBody, true, method));
      if (x.status === 0 || (unauthenticated && x.status === 401)) {
        if (x.status === 0) ctx.report.observe(probe, x);
        continue;
      }
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
    });
  }
}

/** Dropping a required header parameter must be a 4xx. */
export async function missingRequiredHeaders(spec: ContractSpec, ctx: PhaseContext): Promise<void> {
  for (const op of spec.operations.filter((o) => callable(o, ctx.target))) {
    await guarded(ctx, op, 'missing_required_header', async () => {
      // A required header with a default is filled in by the pipeline (a warning says so): not a negative case.
      for (const p of op.parameters.filter((param) => param.in === 'header' && param.required && !param.hasDefault)) {
        const full = sampleCase(op, ctx, `header:${p.name}`);
        if (!full || Date.now() >= ctx.deadline) return;
        const c = { ...full, headers: Object.fromEntries(Object.entries(full.headers).filter(([k]) => k !== p.name)), negative: `header ${p.name} missing` };
        const x = await send(ctx, requestFor(ctx.target, c));
        const extra = (x.status >= 400 && x.status < 500) || x.status === 0 ? [] : [ctx.report.failure('missing_required_header', c, x, `without required header ${p.name} got ${x.status}`)];
        ctx.report.observe(c, x, extra);
      }
    });
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
  for (const op of spec.operations.filter((o) => callable(o, ctx.target))) {
    const links = Object.entries(op.responses).filter(([s]) => s.startsWith('2')).flatMap(([, r]) => Object.values(r.links));
    if (links.length === 0) continue;
    await guarded(ctx, op, 'links', async () => {
    for (let i = 0; i < chains && Date.now() < ctx.deadline; i += 1) {
      const origin = sampleCase(op, ctx, `chain:${i}`);
      if (!origin) return;
      const created = await send(ctx, requestFor(ctx.target, origin));
      ctx.report.observe(origin, created);
      if (!ok(created)) continue;
      const steps = links.flatMap((link) => {
        const target = byId.get(link.operationId);
        const path = Object.fromEntries(Object.entries(link.parameters).map(([k, e]) => [k, resolveExpression(String(e), origin, created)]));
        if (!target || Object.values(path).some((v) => v === undefined)) return [];
        const step = sampleCase(target, ctx, `chain:${i}:${link.operationId}`, path as Record<string, string>);
        return step ? [step] : [];
      });
      const reads = steps.filter((s) => s.operation.method === 'GET');
      const deletes = steps.filter((s) => s.operation.method === 'DELETE');
      for (const s of [...reads, ...steps.filter((t) => t.operation.method !== 'GET' && t.operation.method !== 'DELETE')]) {
        const x = await send(ctx, requestFor(ctx.target, s));
        const extra = s.operation.method === 'GET' && !ok(x) && x.status !== 0
          ? [ctx.report.failure('ensure_resource_availability', s, x, `${op.operationId} returned ${created.status} but ${s.operation.operationId} then got ${x.status}`)]
          : [];
        ctx.report.observe(s, x, extra);
      }
      for (const d of deletes) {
        const gone = await send(ctx, requestFor(ctx.target, d));
        ctx.report.observe(d, gone);
        if (!ok(gone)) continue;
        for (const r of reads) {
          const x = await send(ctx, requestFor(ctx.target, r));
          const extra = ok(x) ? [ctx.report.failure('use_after_free', r, x, `${d.operation.operationId} returned ${gone.status} but ${r.operation.operationId} still got ${x.status}`)] : [];
          ctx.report.observe(r, x, extra);
        }
      }
    }
    });
  }
}

/** Sends within the stage's time: the request's timeout never runs far past the deadline. */
const send = sendWithin;
