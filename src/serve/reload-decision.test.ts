import { describe, expect, it } from 'vitest';
import { contractDigest, decideReload, majorOf } from './reload-decision.js';

const doc = (version: string, paths: string[]) => ({
  openapi: '3.0.3',
  info: { title: 'T', version },
  paths: Object.fromEntries(paths.map((path) => [path, { get: { operationId: path.slice(1), responses: { '200': { description: 'ok' } } } }])),
});

describe('decideReload', () => {
  it('applies a compatible change', () => {
    expect(decideReload(doc('1.0.0', ['/a']), doc('1.0.1', ['/a', '/b']), false)).toMatchObject({ apply: true, reason: 'compatible', breaking: [] });
  });

  it('refuses a breaking change and lists it', () => {
    const decision = decideReload(doc('1.0.0', ['/a']), doc('1.1.0', ['/b']), false);
    expect(decision).toMatchObject({ apply: false, reason: 'breaking' });
    expect(decision.breaking.map((f) => f.check)).toEqual(['path-removed']);
  });

  it('applies a breaking change when allowed, or when the major version went up', () => {
    expect(decideReload(doc('1.0.0', ['/a']), doc('1.1.0', ['/b']), true)).toMatchObject({ apply: true, reason: 'allow-breaking' });
    expect(decideReload(doc('1.0.0', ['/a']), doc('2.0.0', ['/b']), false)).toMatchObject({ apply: true, reason: 'major-version' });
    expect(decideReload(doc('2.0.0', ['/a']), doc('1.9.0', ['/b']), false)).toMatchObject({ apply: false });
  });
});

describe('majorOf', () => {
  it('reads the leading number of info.version', () => {
    expect([majorOf('2.1.0'), majorOf('v3'), majorOf('2024.06'), majorOf('beta'), majorOf(undefined)]).toEqual([2, 3, 2024, undefined, undefined]);
  });
});

describe('contractDigest', () => {
  it('is 12 hex digits that ignore key order and see any change', () => {
    const a = { openapi: '3.0.3', info: { title: 'T', version: '1' }, paths: {} };
    const b = { paths: {}, info: { version: '1', title: 'T' }, openapi: '3.0.3' };
    expect(contractDigest(a)).toMatch(/^[0-9a-f]{12}$/);
    expect(contractDigest(a)).toBe(contractDigest(b));
    expect(contractDigest({ ...a, info: { title: 'T', version: '2' } })).not.toBe(contractDigest(a));
  });
});
