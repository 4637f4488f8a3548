/**
 * Compatible changes are reported at info level and the command exits 0; `x-specgate-*`
 * extensions are compared where they change what the gateway does.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { diffDocuments } from './diff.js';
import { runDiff } from './run.js';

const SHOP = parse(readFileSync(new URL('./fixtures/shop.yaml', import.meta.url), 'utf8'));
const shop = (): Record<string, any> => structuredClone(SHOP);
const changed = (change: (doc: Record<string, any>) => void) => {
  const doc = shop();
  change(doc);
  return doc;
};
const dir = mkdtempSync(join(tmpdir(), 'specgate-diff-'));
let written = 0;
const file = (document: unknown) => {
  const path = join(dir, `doc-${written++}.json`);
  writeFileSync(path, JSON.stringify(document));
  return path;
};

async function run(before: unknown, after: unknown) {
  let out = '';
  let err = '';
  const code = await runDiff([file(before), file(after), '--format', 'json'], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, err, report: out === '' ? undefined : JSON.parse(out) };
}

const compatible: [string, string, (doc: Record<string, any>) => void][] = [
  ['a new operation', 'operation-added', (d) => (d.paths['/orders/{orderId}'].patch = { operationId: 'updateOrder', responses: { '200': { description: 'ok' } } })],
  ['a new optional query parameter', 'request-parameter-added', (d) => d.paths['/orders'].get.parameters.push({ name: 'sort', in: 'query', schema: { type: 'string' } })],
  ['a new optional body property', 'request-property-added', (d) => (d.components.schemas.NewOrder.properties.coupon = { type: 'string' })],
  ['a new response property', 'response-property-added', (d) => (d.components.schemas.Order.properties.created_at = { type: 'string', format: 'date-time' })],
  ['a new status', 'response-status-added', (d) => (d.paths['/orders/{orderId}'].get.responses['410'] = { description: 'archived' })],
  ['an enum widened in a request', 'request-enum-widened', (d) => d.components.schemas.NewOrder.properties.channel.enum.push('app')],
  ['a request type widened', 'request-type-widened', (d) => (d.components.schemas.NewOrder.properties.total.type = 'number')],
  ['a new response header', 'response-header-added', (d) => (d.paths['/orders/{orderId}'].get.responses['200'].headers = { ETag: { schema: { type: 'string' } } })],
  ['security removed', 'security-removed', (d) => delete d.paths['/orders'].post.security],
];

describe('npm run diff: compatible changes', () => {
  it.each(compatible)('%s is %s at info level, exit 0', async (_, check, change) => {
    const { code, report } = await run(shop(), changed(change));
    expect(code).toBe(0);
    expect(report.breaking).toBe(false);
    expect(report.findings.map((f: { check: string; severity: string }) => [f.check, f.severity])).toContainEqual([check, 'info']);
    expect(report.counts.breaking).toBe(0);
  });
});

describe('npm run diff: warnings exit 0', () => {
  it('a parameter replaced by one with another schema is a removal and an addition, not a rename', async () => {
    const { code, report } = await run(shop(), changed((d) => (d.paths['/orders'].get.parameters[0] = { name: 'page', in: 'query', schema: { type: 'string' } })));
    expect(code).toBe(0);
    expect(report.findings.map((f: any) => [f.check, f.severity, f.message])).toEqual([
      ['request-parameter-removed', 'warning', 'query parameter limit removed'],
      ['request-parameter-added', 'info', 'new optional query parameter page'],
    ]);
  });

  it('a new operationId is a warning, a deprecation information', async () => {
    const { code, report } = await run(shop(), changed((d) => {
      d.paths['/orders/{orderId}'].get.operationId = 'fetchOrder';
      d.paths['/orders/{orderId}'].get.deprecated = true;
    }));
    expect(code).toBe(0);
    expect(report.findings.map((f: any) => [f.check, f.severity, f.operation.operationId, f.message])).toEqual([
      ['operation-id-changed', 'warning', 'fetchOrder', 'operationId getOrder → fetchOrder'],
      ['operation-deprecated', 'info', 'fetchOrder', 'now deprecated'],
    ]);
  });
});

describe('diffDocuments: x-specgate-* extensions', () => {
  const limited = (policy: unknown, on: 'root' | 'operation' = 'operation') =>
    changed((d) => {
      if (policy === undefined) return;
      if (on === 'root') d['x-specgate-rate-limit'] = policy;
      else d.paths['/orders'].post['x-specgate-rate-limit'] = policy;
    });
  const checks = (before: Record<string, any>, after: Record<string, any>, operationId = 'createOrder') =>
    diffDocuments(before, after).findings.filter((f) => f.operation.operationId === operationId).map((f) => [f.check, f.severity, f.message]);

  it('a new rate limit is a warning, and a root one applies to every operation', () => {
    expect(checks(limited(undefined), limited({ requests: 60, per: 60, by: 'caller' }))).toEqual([['rate-limit-added', 'warning', 'now rate-limited: 60 per 60 s by caller']]);
    expect(checks(limited(undefined), limited({ requests: 60, per: 60, by: 'ip' }, 'root'), 'getOrder')).toEqual([['rate-limit-added', 'warning', 'now rate-limited: 60 per 60 s by ip']]);
  });

  it('a tighter limit, or another key, is a warning; a looser one is info', () => {
    const policy = (requests: number, per: number, by = 'caller') => limited({ requests, per, by });
    expect(checks(policy(60, 60), policy(30, 60))).toEqual([['rate-limit-tightened', 'warning', 'rate limit tightened: 60 per 60 s by caller → 30 per 60 s by caller']]);
    expect(checks(policy(60, 60), policy(60, 60, 'ip'))).toEqual([['rate-limit-key-changed', 'warning', 'rate limit now counted by ip (was caller)']]);
    expect(checks(policy(60, 60), policy(120, 60))).toEqual([['rate-limit-loosened', 'info', 'rate limit loosened: 60 per 60 s by caller → 120 per 60 s by caller']]);
  });

  it('a changed upstream is info, from the nearest of operation, path item and root', () => {
    const before = changed((d) => (d['x-specgate-upstream'] = 'http://orders:8000'));
    const after = changed((d) => {
      d['x-specgate-upstream'] = 'http://orders:8000';
      d.paths['/orders']['x-specgate-upstream'] = 'http://orders-v2:8000';
    });
    expect(checks(before, after)).toEqual([['upstream-changed', 'info', 'upstream http://orders:8000 → http://orders-v2:8000']]);
    expect(checks(before, after, 'getOrder')).toEqual([]);
  });

  it('a WebSocket path that is new is info', () => {
    const after = changed((d) => (d.paths['/orders']['x-specgate-websocket'] = true));
    expect(checks(shop(), after, 'listOrders')).toEqual([['websocket-added', 'info', 'WebSocket upgrades are now accepted']]);
  });
});
