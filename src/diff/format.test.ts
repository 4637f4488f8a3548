/** The three report formats of `npm run diff` on one example: one breaking change, one warning, one compatible change. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { diffDocuments } from './diff.js';
import { formatReport } from './format.js';

const SHOP = parse(readFileSync(new URL('./fixtures/shop.yaml', import.meta.url), 'utf8'));
const after = structuredClone(SHOP);
after.paths['/orders'].get.parameters[0].required = true;
after.paths['/orders'].post['x-specgate-rate-limit'] = { requests: 60, per: 60, by: 'caller' };
after.paths['/orders/{orderId}'].patch = { operationId: 'updateOrder', responses: { '200': { description: 'updated' } } };
const result = diffDocuments(SHOP, after);
const sources = { old: 'main/openapi.yaml', new: 'openapi.yaml' };

describe('npm run diff: report formats', () => {
  it('json: the verdict, the counts and every finding with both pointers', () => {
    expect(JSON.parse(formatReport('json', result, sources))).toEqual({
      old: 'main/openapi.yaml',
      new: 'openapi.yaml',
      breaking: true,
      counts: { breaking: 1, warning: 1, info: 1 },
      findings: [
        {
          check: 'request-parameter-became-required',
          severity: 'breaking',
          operation: { operationId: 'listOrders', method: 'GET', path: '/orders' },
          message: 'query parameter limit is now required',
          pointer: { old: '/paths/~1orders/get/parameters/0', new: '/paths/~1orders/get/parameters/0' },
        },
        {
          check: 'rate-limit-added',
          severity: 'warning',
          operation: { operationId: 'createOrder', method: 'POST', path: '/orders' },
          message: 'now rate-limited: 60 per 60 s by caller',
          pointer: { old: null, new: '/paths/~1orders/post/x-specgate-rate-limit' },
        },
        {
          check: 'operation-added',
          severity: 'info',
          operation: { operationId: 'updateOrder', method: 'PATCH', path: '/orders/{orderId}' },
          message: 'new operation PATCH /orders/{orderId}',
          pointer: { old: null, new: '/paths/~1orders~1{orderId}/patch' },
        },
      ],
    });
  });

  it('text: one block per finding and a verdict line', () => {
    expect(formatReport('text', result, sources)).toBe(
      [
        'main/openapi.yaml → openapi.yaml',
        'breaking request-parameter-became-required  GET /orders (listOrders)',
        '         query parameter limit is now required',
        '         old #/paths/~1orders/get/parameters/0  new #/paths/~1orders/get/parameters/0',
        'warning  rate-limit-added  POST /orders (createOrder)',
        '         now rate-limited: 60 per 60 s by caller',
        '         new #/paths/~1orders/post/x-specgate-rate-limit',
        'info     operation-added  PATCH /orders/{orderId} (updateOrder)',
        '         new operation PATCH /orders/{orderId}',
        '         new #/paths/~1orders~1{orderId}/patch',
        '1 breaking change, 1 warning, 1 info: BREAKING',
        '',
      ].join('\n'),
    );
  });

  it('markdown: tables for breaking changes and warnings, compatible changes folded', () => {
    expect(formatReport('markdown', result, sources)).toBe(
      [
        '### API contract: `main/openapi.yaml` → `openapi.yaml`',
        '',
        '**Breaking changes.** 1 breaking change, 1 warning, 1 info.',
        '',
        '#### 💥 Breaking (1)',
        '',
        '| Check | Operation | Change | Where (old → new) |',
        '|---|---|---|---|',
        '| `request-parameter-became-required` | `GET /orders` listOrders | query parameter limit is now required | `/paths/~1orders/get/parameters/0` → `/paths/~1orders/get/parameters/0` |',
        '',
        '#### ⚠️ Warnings (1)',
        '',
        '| Check | Operation | Change | Where (old → new) |',
        '|---|---|---|---|',
        '| `rate-limit-added` | `POST /orders` createOrder | now rate-limited: 60 per 60 s by caller | — → `/paths/~1orders/post/x-specgate-rate-limit` |',
        '',
        '<details>',
        '<summary>ℹ️ Compatible changes (1)</summary>',
        '',
        '| Check | Operation | Change | Where (old → new) |',
        '|---|---|---|---|',
        '| `operation-added` | `PATCH /orders/{orderId}` updateOrder | new operation PATCH /orders/{orderId} | — → `/paths/~1orders~1{orderId}/patch` |',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  it('markdown escapes a pipe in a message so the table holds', () => {
    const piped = { ...result, findings: [{ ...result.findings[0]!, message: 'type string → string | null' }] };
    expect(formatReport('markdown', piped, sources)).toContain('| type string → string \\| null |');
  });
});
