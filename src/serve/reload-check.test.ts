import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../contract/spec.js';
import { reloadCheck } from './reload-check.js';
import { contractDigest } from './reload-decision.js';

const documentWith = (paths: string[], version = '1.0.0'): OpenApiDocument => ({
  openapi: '3.0.3',
  info: { title: 't', version },
  paths: Object.fromEntries(paths.map((path, i) => [path, { get: { operationId: `op${i}`, responses: { '200': { description: 'ok' } } } }])),
});

describe('the reload check (worker thread)', () => {
  it('answers the digest, no decision for the running document, and the breaking findings as data for a removed operation', async () => {
    const running = documentWith(['/a', '/b']);
    const check = reloadCheck(running);
    expect(await check.check(documentWith(['/a', '/b']), false)).toEqual({ digest: contractDigest(running), decision: undefined });
    const removed = documentWith(['/a']);
    const result = await check.check(removed, false);
    expect(result.digest).toBe(contractDigest(removed));
    expect(result.decision).toMatchObject({ apply: false, reason: 'breaking', breaking: [{ check: 'path-removed', operation: { method: 'GET', path: '/b' } }] });
  });

  it('compares with the last committed document', async () => {
    const check = reloadCheck(documentWith(['/a']));
    const added = documentWith(['/a', '/b']);
    expect((await check.check(added, false)).decision).toMatchObject({ apply: true, reason: 'compatible' });
    check.commit();
    expect((await check.check(documentWith(['/a', '/b']), false)).decision).toBeUndefined();
    expect((await check.check(documentWith(['/a']), false)).decision).toMatchObject({ apply: false });
  });

  it('rejects a document it cannot compare', async () => {
    const check = reloadCheck(documentWith(['/a']));
    await expect(check.check({ swagger: '2.0', info: { title: 't', version: '1' }, paths: {} } as OpenApiDocument, false)).rejects.toThrow();
  });
});
